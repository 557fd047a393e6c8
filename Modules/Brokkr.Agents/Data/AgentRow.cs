using Brokkr.Contracts.Agents;
using LinqToDB.Mapping;

namespace Brokkr.Agents.Data;

[Table("agents")]
internal sealed class AgentRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("created_at", SkipOnInsert = true, SkipOnUpdate = true)] public DateTime CreatedAt { get; set; }
    [Column("updated_at", SkipOnInsert = true)] public DateTime UpdatedAt { get; set; }
    [Column("deleted_at")] public DateTime? DeletedAt { get; set; }
    [Column("name")] public string Name { get; set; } = string.Empty;
    [Column("cluster_name")] public string ClusterName { get; set; } = string.Empty;
    [Column("last_heartbeat")] public DateTime? LastHeartbeat { get; set; }
    [Column("status")] public string Status { get; set; } = "INACTIVE";
    [Column("pak_hash")] public string PakHash { get; set; } = string.Empty;
    [Column("k8s_reachable")] public bool? K8sReachable { get; set; }
    [Column("k8s_api_latency_ms")] public int? K8sApiLatencyMs { get; set; }
    [Column("k8s_reported_at")] public DateTime? K8sReportedAt { get; set; }

    public Agent ToContract() => new(Id, CreatedAt, UpdatedAt, DeletedAt, Name, ClusterName, LastHeartbeat, Status, K8sReachable, K8sApiLatencyMs, K8sReportedAt);
}

[Table("agent_labels")]
internal sealed class AgentLabelRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("agent_id")] public Guid AgentId { get; set; }
    [Column("label")] public string Label { get; set; } = string.Empty;
}

[Table("agent_annotations")]
internal sealed class AgentAnnotationRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("agent_id")] public Guid AgentId { get; set; }
    [Column("key")] public string Key { get; set; } = string.Empty;
    [Column("value")] public string Value { get; set; } = string.Empty;
}

[Table("agent_targets")]
internal sealed class AgentTargetRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("agent_id")] public Guid AgentId { get; set; }
    [Column("stack_id")] public Guid StackId { get; set; }
}

[Table("agent_events")]
internal sealed class AgentEventRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("created_at", SkipOnInsert = true, SkipOnUpdate = true)] public DateTime CreatedAt { get; set; }
    [Column("updated_at", SkipOnInsert = true)] public DateTime UpdatedAt { get; set; }
    [Column("deleted_at")] public DateTime? DeletedAt { get; set; }
    [Column("agent_id")] public Guid AgentId { get; set; }
    [Column("deployment_object_id")] public Guid DeploymentObjectId { get; set; }
    [Column("event_type")] public string EventType { get; set; } = string.Empty;
    [Column("status")] public string Status { get; set; } = string.Empty;
    [Column("message")] public string? Message { get; set; }

    public AgentEvent ToContract() => new(Id, CreatedAt, UpdatedAt, DeletedAt, AgentId, DeploymentObjectId, EventType, Status, Message);
}
