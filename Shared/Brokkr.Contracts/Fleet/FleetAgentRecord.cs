using Mediator;

namespace Brokkr.Contracts.Fleet;

/// <summary>
/// The reference's <c>FleetAgentRecord</c> (details §4.4): measured values of one live agent, no
/// verdicts; also the body of the WebSocket <c>fleet_update</c> frame. Ages are whole seconds,
/// floored at 0, null when there is nothing to measure.
/// </summary>
public sealed record FleetAgentRecord(
    Guid AgentId,
    string Name,
    string ClusterName,
    string Status,
    bool WsConnected,
    DateTime? ConnectedSince,
    DateTime? LastHeartbeat,
    long? HeartbeatAgeSeconds,
    long PendingObjectCount,
    long PendingWorkOrders,
    long ClaimedWorkOrders,
    DateTime? LastEventAt,
    long? SecondsSinceLastEvent,
    long HealthFailing,
    long HealthDegraded,
    bool? K8sReachable,
    long? K8sApiLatencyMs);

/// <summary>One live agent's fleet record, or null when the agent does not exist or is deleted.</summary>
public sealed record GetFleetRecord(Guid AgentId) : IQuery<FleetAgentRecord?>;

/// <summary>Every live agent's fleet record, in one statement (the fleet live sweep).</summary>
public sealed record ListFleetRecords : IQuery<IReadOnlyList<FleetAgentRecord>>;

/// <summary>
/// The agents that hold a WebSocket connection to this broker, and since when. The Health module
/// registers a source that knows of none; the realtime module replaces it with its registry.
/// </summary>
public interface IAgentConnections
{
    bool TryGetConnectedSince(Guid agentId, out DateTime connectedSince);
}
