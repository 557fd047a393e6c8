namespace Brokkr.FakeKube;

/// <summary>A write through <see cref="FakeCluster"/> that the API would have refused, with the Status it would have sent.</summary>
public sealed class FakeKubeException(int code, string reason, string message) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;
}
