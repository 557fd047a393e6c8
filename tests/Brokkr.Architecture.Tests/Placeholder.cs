namespace Brokkr.Architecture.Tests;
