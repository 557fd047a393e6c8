using Mediator;

namespace Brokkr.Contracts.Realtime;

/// <summary>The <c>type</c> of a WebSocket frame (behaviour §11), snake_case as on the wire.</summary>
public static class WireMessageTypes
{
    public const string WorkOrder = "work_order";
    public const string TargetChanged = "target_changed";
    public const string StackChanged = "stack_changed";
    public const string Heartbeat = "heartbeat";
    public const string AgentEvent = "agent_event";
    public const string AgentHealth = "agent_health";
    public const string K8sEvent = "k8s_event";
    public const string PodLogLine = "pod_log_line";
    public const string LogGap = "log_gap";
    public const string FleetUpdate = "fleet_update";
}

/// <summary>
/// Push a frame <c>{"type": Type, "body": Body}</c> to these agents over their WebSocket, on whichever
/// broker replica holds the connection. Published inside the transaction of the change: the push leaves
/// only after that transaction commits, and never for a rolled-back change. Fire-and-forget: an agent
/// that is not connected catches up by polling. The publisher chooses the recipients (explicit targets
/// and label or annotation matches alike).
/// </summary>
public sealed record PushToAgents(IReadOnlyCollection<Guid> AgentIds, string Type, object Body) : INotification;

/// <summary>
/// An agent's fleet record may have changed (a REST heartbeat): fleet live subscribers on every replica
/// get a fresh <c>fleet_update</c>. Cheap when nobody subscribes.
/// </summary>
public sealed record AgentFleetChanged(Guid AgentId) : INotification;
