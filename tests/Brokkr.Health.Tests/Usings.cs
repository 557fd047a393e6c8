namespace Brokkr.Health.Tests;
