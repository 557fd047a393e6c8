namespace Brokkr.Host.Tests;

/// <summary>
/// Tests of what every broker in the test process shares (environment variables, the Prometheus registry):
/// they run alone, after the parallel tests.
/// </summary>
[CollectionDefinition(nameof(ProcessWide), DisableParallelization = true)]
public sealed class ProcessWide;
