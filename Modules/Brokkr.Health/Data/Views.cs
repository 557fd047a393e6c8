using Brokkr.Contracts.Agents;
using LinqToDB.Mapping;

namespace Brokkr.Health.Data;

/// <summary>Read-only view of the Stacks module's revisions: stack health groups records by live revision.</summary>
[Table("deployment_objects", IsView = true)]
internal sealed class DeploymentObjectView
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("deleted_at")] public DateTime? DeletedAt { get; set; }
    [Column("stack_id")] public Guid StackId { get; set; }
    [Column("sequence_id")] public long SequenceId { get; set; }
}

/// <summary>Read-only view of the Agents module's events: the fleet status shows an agent's latest.</summary>
[Table("agent_events", IsView = true)]
internal sealed class AgentEventView
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("created_at")] public DateTime CreatedAt { get; set; }
    [Column("updated_at")] public DateTime UpdatedAt { get; set; }
    [Column("deleted_at")] public DateTime? DeletedAt { get; set; }
    [Column("agent_id")] public Guid AgentId { get; set; }
    [Column("deployment_object_id")] public Guid DeploymentObjectId { get; set; }
    [Column("event_type")] public string EventType { get; set; } = string.Empty;
    [Column("status")] public string Status { get; set; } = string.Empty;
    [Column("message")] public string? Message { get; set; }

    public AgentEvent ToContract() => new(Id, CreatedAt, UpdatedAt, DeletedAt, AgentId, DeploymentObjectId, EventType, Status, Message);
}
