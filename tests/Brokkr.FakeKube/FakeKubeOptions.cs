namespace Brokkr.FakeKube;

/// <summary>How a fake API server behaves.</summary>
public sealed record FakeKubeOptions
{
    /// <summary>The bearer token written into the kubeconfig.</summary>
    public string Token { get; init; } = "fake-kube-token";

    /// <summary>When true, requests without exactly <see cref="Token"/> are answered 401; otherwise any token (or none) is accepted.</summary>
    public bool RequireToken { get; init; }

    /// <summary>When true, a CRD is marked Established as soon as it is stored; otherwise a test sets its status.</summary>
    public bool EstablishCrds { get; init; } = true;

    /// <summary>What <c>/version</c> reports; kubectl's version dispatcher picks its client from the minor version.</summary>
    public string GitVersion { get; init; } = "v1.32.4";

    /// <summary>
    /// When true (as on a real 1.30+ server), /api and /apis answer in the aggregated format to clients that
    /// ask for it; otherwise only the legacy documents are served and clients fall back to them.
    /// </summary>
    public bool AggregatedDiscovery { get; init; } = true;

    /// <summary>How many changes a watch can resume from before it gets 410 Expired.</summary>
    public int WatchHistory { get; init; } = 20_000;

    /// <summary>How many requests the request log keeps.</summary>
    public int RequestLogLimit { get; init; } = 100_000;

    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
