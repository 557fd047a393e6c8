namespace Brokkr.Contracts.Agents;

/// <summary>The reference's <c>Agent</c>: one cluster. <c>pak_hash</c> is never output.</summary>
public sealed record Agent(
    Guid Id,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? DeletedAt,
    string Name,
    string ClusterName,
    DateTime? LastHeartbeat,
    string Status,
    bool? K8sReachable,
    int? K8sApiLatencyMs,
    DateTime? K8sReportedAt);

/// <summary>The reference's <c>AgentEvent</c>: an agent's acknowledgement that it applied a revision.</summary>
public sealed record AgentEvent(
    Guid Id,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? DeletedAt,
    Guid AgentId,
    Guid DeploymentObjectId,
    string EventType,
    string Status,
    string? Message);

/// <summary>The body of <c>POST /agents/{id}/events</c> (<c>NewAgentEvent</c>).</summary>
public sealed record NewAgentEvent(Guid AgentId, Guid DeploymentObjectId, string EventType, string Status, string? Message = null);

/// <summary>The optional body of <c>POST /agents/{id}/heartbeat</c>.</summary>
public sealed record HeartbeatReport(bool? K8sReachable = null, int? K8sApiLatencyMs = null);
