namespace Brokkr.FakeKube;

/// <summary>
/// Makes matching requests fail or slow down. A rule matches when the method (if given) equals the
/// request's and the path (if given) occurs in the request's path; it applies <see cref="Times"/> times,
/// or for ever when null.
/// </summary>
public sealed record FaultRule
{
    public string? Method { get; init; }

    public string? PathContains { get; init; }

    /// <summary>The status to answer with (429, 500, 503, 504 ...), or null to only add latency.</summary>
    public int? StatusCode { get; init; }

    public TimeSpan Delay { get; init; }

    public int? Times { get; init; }

    public static FaultRule TooManyRequests(string? pathContains = null, int times = 1) =>
        new() { PathContains = pathContains, StatusCode = 429, Times = times };

    public static FaultRule ServerError(string? pathContains = null, int times = 1) =>
        new() { PathContains = pathContains, StatusCode = 500, Times = times };

    public static FaultRule Latency(TimeSpan delay, string? pathContains = null, int? times = null) =>
        new() { PathContains = pathContains, Delay = delay, Times = times };
}
