namespace Brokkr.Generators.Tests;
