using System.Text.Json;
using Brokkr.Telemetry.Api;
using LinqToDB.Mapping;

namespace Brokkr.Telemetry.Data;

[Table("agent_k8s_events")]
internal sealed class K8sEventRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("agent_id")] public Guid AgentId { get; set; }
    [Column("stack_id")] public Guid StackId { get; set; }
    [Column("observed_at")] public DateTime ObservedAt { get; set; }
    [Column("reason")] public string Reason { get; set; } = string.Empty;
    [Column("message")] public string Message { get; set; } = string.Empty;
    [Column("event_type")] public string EventType { get; set; } = string.Empty;
    [Column("source")] public string? Source { get; set; }
    [Column("involved_object")] public string InvolvedObject { get; set; } = "{}";
    [Column("created_at")] public DateTime CreatedAt { get; set; }

    public AgentK8sEvent ToContract()
    {
        using var document = JsonDocument.Parse(InvolvedObject);
        return new AgentK8sEvent(Id, AgentId, StackId, ObservedAt, Reason, Message, EventType, Source, document.RootElement.Clone(), CreatedAt);
    }
}

[Table("agent_pod_logs")]
internal sealed class PodLogRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("agent_id")] public Guid AgentId { get; set; }
    [Column("stack_id")] public Guid StackId { get; set; }
    [Column("namespace")] public string Namespace { get; set; } = string.Empty;
    [Column("pod")] public string Pod { get; set; } = string.Empty;
    [Column("container")] public string Container { get; set; } = string.Empty;
    [Column("ts")] public DateTime Ts { get; set; }
    [Column("line")] public string Line { get; set; } = string.Empty;
    [Column("created_at")] public DateTime CreatedAt { get; set; }

    public AgentPodLog ToContract() => new(Id, AgentId, StackId, Namespace, Pod, Container, Ts, Line, CreatedAt);
}

/// <summary>Read-only view of the Stacks module's table: who owns a stack, and whether it is live.</summary>
[Table("stacks", IsView = true)]
internal sealed class StackView
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("deleted_at")] public DateTime? DeletedAt { get; set; }
    [Column("generator_id")] public Guid GeneratorId { get; set; }
}
