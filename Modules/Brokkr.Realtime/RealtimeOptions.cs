namespace Brokkr.Realtime;

/// <summary>
/// Sizes and intervals of the realtime channel (ADR 0023). Not configuration keys: the reference
/// has none for them; tests replace the singleton to shorten the intervals.
/// </summary>
internal sealed class RealtimeOptions
{
    /// <summary>Server WebSocket pings; the reference sends none and agents behind idle-timeout proxies lose the socket.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How often a replica proves it is alive, flushes its connection counters and re-reads the others' state.</summary>
    public TimeSpan ReplicaTick { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A replica silent for this long is dead: its connections and subscriptions are ignored and removed.</summary>
    public TimeSpan ReplicaExpiry { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an oversized bus message stays readable in <c>realtime_messages</c>.</summary>
    public TimeSpan MessageRetention { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The fleet sweep (behaviour §11): re-broadcast records whose counts changed.</summary>
    public TimeSpan FleetSweepInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Telemetry is persisted (and fanned out to other replicas) in batches of at most this many items...</summary>
    public int IngestBatchSize { get; init; } = 500;

    /// <summary>...or after this long, whichever comes first.</summary>
    public TimeSpan IngestFlushInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Telemetry items waiting for a flush; beyond it frames are dropped and counted.</summary>
    public int IngestQueue { get; init; } = 20_000;

    public int ControlLane { get; init; } = 64;

    public int TelemetryLane { get; init; } = 1024;

    public int SubscriberBuffer { get; init; } = 1024;

    /// <summary>Notifications waiting to be dispatched; beyond it they are dropped (the replica tick resynchronises).</summary>
    public int BusQueue { get; init; } = 10_000;

    /// <summary>A text frame larger than this closes the socket with 1009.</summary>
    public int MaxMessageBytes { get; init; } = 1024 * 1024;

    /// <summary>How long a closing socket may take to answer the close frame before it is aborted.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>This broker process among the replicas sharing the database.</summary>
internal sealed class ReplicaIdentity
{
    public Guid Id { get; } = Guid.NewGuid();
}
