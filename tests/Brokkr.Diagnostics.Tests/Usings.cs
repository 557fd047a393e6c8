namespace Brokkr.Diagnostics.Tests;
