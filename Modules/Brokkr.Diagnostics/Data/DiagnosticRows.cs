using Brokkr.Contracts.Diagnostics;
using LinqToDB.Mapping;

namespace Brokkr.Diagnostics.Data;

[Table("diagnostic_requests")]
internal sealed class DiagnosticRequestRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("agent_id")] public Guid AgentId { get; set; }
    [Column("deployment_object_id")] public Guid DeploymentObjectId { get; set; }
    [Column("status")] public string Status { get; set; } = DiagnosticStatus.Pending;
    [Column("requested_by")] public string? RequestedBy { get; set; }
    [Column("created_at")] public DateTime CreatedAt { get; set; }
    [Column("claimed_at")] public DateTime? ClaimedAt { get; set; }
    [Column("completed_at")] public DateTime? CompletedAt { get; set; }
    [Column("expires_at")] public DateTime ExpiresAt { get; set; }

    public DiagnosticRequest ToContract()
        => new(Id, AgentId, DeploymentObjectId, Status, RequestedBy, CreatedAt, ClaimedAt, CompletedAt, ExpiresAt);
}

[Table("diagnostic_results")]
internal sealed class DiagnosticResultRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("request_id")] public Guid RequestId { get; set; }
    [Column("pod_statuses")] public string PodStatuses { get; set; } = string.Empty;
    [Column("events")] public string Events { get; set; } = string.Empty;
    [Column("log_tails")] public string? LogTails { get; set; }
    [Column("collected_at")] public DateTime CollectedAt { get; set; }
    [Column("created_at")] public DateTime CreatedAt { get; set; }

    public DiagnosticResult ToContract() => new(Id, RequestId, PodStatuses, Events, LogTails, CollectedAt, CreatedAt);
}

/// <summary>The states of a diagnostic request (behaviour §8).</summary>
internal static class DiagnosticStatus
{
    public const string Pending = "pending";
    public const string Claimed = "claimed";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Expired = "expired";
}
