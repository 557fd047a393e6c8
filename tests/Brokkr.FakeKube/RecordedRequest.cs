namespace Brokkr.FakeKube;

/// <summary>One request the fake answered (or is answering: <see cref="StatusCode"/> is 0 until it ends, e.g. for a watch).</summary>
public sealed class RecordedRequest
{
    private int _statusCode;

    public required long Sequence { get; init; }

    public required DateTimeOffset Time { get; init; }

    public required string Method { get; init; }

    public required string Path { get; init; }

    /// <summary>The raw query string, with its leading '?', or empty.</summary>
    public required string Query { get; init; }

    public required string? ContentType { get; init; }

    public required string? UserAgent { get; init; }

    public int StatusCode
    {
        get => Volatile.Read(ref _statusCode);
        internal set => Volatile.Write(ref _statusCode, value);
    }

    public bool IsDryRun => Query.Contains("dryRun=All", StringComparison.Ordinal);

    public bool IsWatch => Query.Contains("watch=true", StringComparison.Ordinal) || Query.Contains("watch=1", StringComparison.Ordinal);

    /// <summary>A request that can change stored state: POST, PUT, PATCH or DELETE that is not a dry run.</summary>
    public bool IsWrite => Method is "POST" or "PUT" or "PATCH" or "DELETE" && !IsDryRun;
}
