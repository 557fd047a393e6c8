namespace Brokkr.Stacks.Tests;
