using Brokkr.Contracts.WorkOrders;
using LinqToDB.Mapping;

namespace Brokkr.WorkOrders.Data;

[Table("work_orders")]
internal sealed class WorkOrderRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("created_at", SkipOnInsert = true, SkipOnUpdate = true)] public DateTime CreatedAt { get; set; }
    [Column("updated_at", SkipOnInsert = true)] public DateTime UpdatedAt { get; set; }
    [Column("work_type")] public string WorkType { get; set; } = string.Empty;
    [Column("yaml_content")] public string YamlContent { get; set; } = string.Empty;
    [Column("status")] public string Status { get; set; } = WorkOrderStatus.Pending;
    [Column("claimed_by")] public Guid? ClaimedBy { get; set; }
    [Column("claimed_at")] public DateTime? ClaimedAt { get; set; }
    [Column("claim_timeout_seconds")] public int ClaimTimeoutSeconds { get; set; }
    [Column("max_retries")] public int MaxRetries { get; set; }
    [Column("retry_count")] public int RetryCount { get; set; }
    [Column("backoff_seconds")] public int BackoffSeconds { get; set; }
    [Column("next_retry_after")] public DateTime? NextRetryAfter { get; set; }
    [Column("last_error")] public string? LastError { get; set; }
    [Column("last_error_at")] public DateTime? LastErrorAt { get; set; }

    public WorkOrder ToContract() => new(
        Id, CreatedAt, UpdatedAt, WorkType, YamlContent, Status, ClaimedBy, ClaimedAt,
        ClaimTimeoutSeconds, MaxRetries, RetryCount, BackoffSeconds, NextRetryAfter, LastError, LastErrorAt);
}

[Table("work_order_targets")]
internal sealed class WorkOrderTargetRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("work_order_id")] public Guid WorkOrderId { get; set; }
    [Column("agent_id")] public Guid AgentId { get; set; }
}

[Table("work_order_labels")]
internal sealed class WorkOrderLabelRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("work_order_id")] public Guid WorkOrderId { get; set; }
    [Column("label")] public string Label { get; set; } = string.Empty;
}

[Table("work_order_annotations")]
internal sealed class WorkOrderAnnotationRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("work_order_id")] public Guid WorkOrderId { get; set; }
    [Column("key")] public string Key { get; set; } = string.Empty;
    [Column("value")] public string Value { get; set; } = string.Empty;
}

[Table("work_order_log")]
internal sealed class WorkOrderLogRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("work_type")] public string WorkType { get; set; } = string.Empty;
    [Column("created_at")] public DateTime CreatedAt { get; set; }
    [Column("claimed_at")] public DateTime? ClaimedAt { get; set; }
    [Column("completed_at")] public DateTime CompletedAt { get; set; }
    [Column("claimed_by")] public Guid? ClaimedBy { get; set; }
    [Column("success")] public bool Success { get; set; }
    [Column("retries_attempted")] public int RetriesAttempted { get; set; }
    [Column("result_message")] public string? ResultMessage { get; set; }
    [Column("yaml_content")] public string YamlContent { get; set; } = string.Empty;

    public WorkOrderLog ToContract()
        => new(Id, WorkType, CreatedAt, ClaimedAt, CompletedAt, ClaimedBy, Success, RetriesAttempted, ResultMessage, YamlContent);

    /// <summary>A finished order as <c>GET /work-orders/{id}</c> shows it (details §4.3).</summary>
    public WorkOrder ToWorkOrder() => new(
        Id,
        CreatedAt,
        UpdatedAt: CompletedAt,
        WorkType,
        YamlContent,
        Success ? WorkOrderStatus.Completed : WorkOrderStatus.Failed,
        ClaimedBy,
        ClaimedAt,
        ClaimTimeoutSeconds: 0,
        MaxRetries: 0,
        RetryCount: RetriesAttempted,
        BackoffSeconds: 0,
        NextRetryAfter: null,
        LastError: Success ? null : ResultMessage,
        LastErrorAt: Success ? null : CompletedAt);
}
