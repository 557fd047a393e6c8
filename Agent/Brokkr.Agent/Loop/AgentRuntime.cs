namespace Brokkr.Agent.Loop;

/// <summary>
/// What the agent knows about itself right now, shared by the loops and the health server.
/// Written by one loop each, read anywhere; plain volatile fields suffice.
/// </summary>
internal sealed class AgentRuntime(TimeProvider time)
{
    private volatile string? _status;
    private volatile KubeHealth? _kube;
    private volatile BrokerHealth _broker = new(false, null);
    private int _exitCode;

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public Guid? AgentId { get; set; }

    /// <summary>The Kubernetes client once start-up has connected it.</summary>
    public Kubernetes.KubeApi? KubeClient { get; set; }

    /// <summary>The agent's status as the broker last reported it (ACTIVE, INACTIVE, ...).</summary>
    public string? Status
    {
        get => _status;
        set => _status = value;
    }

    public bool IsActive => string.Equals(_status, "ACTIVE", StringComparison.Ordinal);

    /// <summary>Null until the Kubernetes connection is made at start-up.</summary>
    public KubeHealth? Kube
    {
        get => _kube;
        set => _kube = value;
    }

    public BrokerHealth Broker
    {
        get => _broker;
        set => _broker = value;
    }

    /// <summary>The process exit code: 0 unless start-up failed.</summary>
    public int ExitCode
    {
        get => Volatile.Read(ref _exitCode);
        set => Volatile.Write(ref _exitCode, value);
    }
}

internal sealed record KubeHealth(bool Connected, string? Error, int? LatencyMs);

internal sealed record BrokerHealth(bool Connected, DateTimeOffset? LastHeartbeat);
