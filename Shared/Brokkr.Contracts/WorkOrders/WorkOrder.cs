namespace Brokkr.Contracts.WorkOrders;

/// <summary>
/// The reference's <c>WorkOrder</c>: a one-shot job in the queue (<c>PENDING</c>, <c>CLAIMED</c>,
/// <c>RETRY_PENDING</c>), or, rebuilt from the log once finished, <c>COMPLETED</c> or <c>FAILED</c>.
/// </summary>
public sealed record WorkOrder(
    Guid Id,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string WorkType,
    string YamlContent,
    string Status,
    Guid? ClaimedBy,
    DateTime? ClaimedAt,
    int ClaimTimeoutSeconds,
    int MaxRetries,
    int RetryCount,
    int BackoffSeconds,
    DateTime? NextRetryAfter,
    string? LastError,
    DateTime? LastErrorAt);

/// <summary>The reference's <c>WorkOrderLog</c>: a finished work order, under the order's own id.</summary>
public sealed record WorkOrderLog(
    Guid Id,
    string WorkType,
    DateTime CreatedAt,
    DateTime? ClaimedAt,
    DateTime CompletedAt,
    Guid? ClaimedBy,
    bool Success,
    int RetriesAttempted,
    string? ResultMessage,
    string YamlContent);

/// <summary>
/// The body of <c>POST /work-orders</c>. <c>target_agent_ids</c> is the legacy spelling of
/// <c>targeting.agent_ids</c>; both are merged.
/// </summary>
public sealed record CreateWorkOrderRequest(
    string WorkType,
    string YamlContent,
    int? MaxRetries = null,
    int? BackoffSeconds = null,
    int? ClaimTimeoutSeconds = null,
    WorkOrderTargeting? Targeting = null,
    IReadOnlyList<Guid>? TargetAgentIds = null);

/// <summary>Who may claim a work order: any listed agent, any agent with one of the labels, or with one of the key=value annotations.</summary>
public sealed record WorkOrderTargeting(
    IReadOnlyList<Guid>? AgentIds = null,
    IReadOnlyList<string>? Labels = null,
    IReadOnlyDictionary<string, string>? Annotations = null);

/// <summary>The body of <c>POST /work-orders/{id}/claim</c>.</summary>
public sealed record ClaimWorkOrderRequest(Guid AgentId);

/// <summary>The body of <c>POST /work-orders/{id}/complete</c>; a failure is retryable unless said otherwise.</summary>
public sealed record CompleteWorkOrderRequest(bool Success, string? Message = null, bool Retryable = true);

/// <summary>The 202 answer of <c>POST /work-orders/{id}/complete</c> when the failure is retried: <c>{"status":"retry_scheduled"}</c>.</summary>
public sealed record WorkOrderRetryScheduled(string Status)
{
    public static readonly WorkOrderRetryScheduled Instance = new("retry_scheduled");
}

/// <summary>The status strings of the queue and of an order rebuilt from the log.</summary>
public static class WorkOrderStatus
{
    public const string Pending = "PENDING";
    public const string Claimed = "CLAIMED";
    public const string RetryPending = "RETRY_PENDING";
    public const string Completed = "COMPLETED";
    public const string Failed = "FAILED";
}
