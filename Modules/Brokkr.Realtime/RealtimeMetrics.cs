using Prometheus;

namespace Brokkr.Realtime;

/// <summary>The reference's WebSocket metrics (behaviour §15), per process, plus what the bounded queues drop.</summary>
internal static class RealtimeMetrics
{
    public static readonly Gauge ConnectedAgents = Metrics.CreateGauge(
        "brokkr_ws_connected_agents", "Agents holding a WebSocket connection to this broker");

    public static readonly Counter Messages = Metrics.CreateCounter(
        "brokkr_ws_messages_total", "WebSocket frames exchanged with agents", ["direction", "type"]);

    public static readonly Gauge LiveSubscribers = Metrics.CreateGauge(
        "brokkr_ws_live_subscribers", "Live stack telemetry subscribers on this broker");

    public static readonly Gauge FleetSubscribers = Metrics.CreateGauge(
        "brokkr_fleet_live_subscribers", "Live fleet subscribers on this broker");

    /// <summary>
    /// Frames dropped by a full bounded queue: <c>control</c> and <c>telemetry</c> (an agent's lanes),
    /// <c>live</c> and <c>fleet</c> (a subscriber's buffer), <c>ingest</c> (telemetry awaiting
    /// persistence), <c>bus</c> (notifications awaiting dispatch).
    /// </summary>
    public static readonly Counter Dropped = Metrics.CreateCounter(
        "brokkr_ws_dropped_total", "Frames dropped because a bounded queue was full", ["lane"]);

    public static void In(string type) => Messages.WithLabels("in", type).Inc();

    public static void Out(string type) => Messages.WithLabels("out", type).Inc();

    public static void Drop(string lane) => Dropped.WithLabels(lane).Inc();
}
