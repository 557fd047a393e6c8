namespace Brokkr.Contracts.Diagnostics;

/// <summary>
/// The reference's <c>DiagnosticRequest</c>: an operator's request that one agent collect
/// diagnostics about one deployment object. <c>status</c> is <c>pending</c>, <c>claimed</c>,
/// <c>completed</c>, <c>failed</c> or <c>expired</c>.
/// </summary>
public sealed record DiagnosticRequest(
    Guid Id,
    Guid AgentId,
    Guid DeploymentObjectId,
    string Status,
    string? RequestedBy,
    DateTime CreatedAt,
    DateTime? ClaimedAt,
    DateTime? CompletedAt,
    DateTime ExpiresAt);

/// <summary>
/// The reference's <c>DiagnosticResult</c>: what the agent collected. <c>pod_statuses</c>,
/// <c>events</c> and <c>log_tails</c> are JSON documents carried as strings.
/// </summary>
public sealed record DiagnosticResult(
    Guid Id,
    Guid RequestId,
    string PodStatuses,
    string Events,
    string? LogTails,
    DateTime CollectedAt,
    DateTime CreatedAt);

/// <summary>The body of <c>POST /diagnostics/{id}/result</c> (<c>SubmitDiagnosticResult</c>): JSON documents as strings.</summary>
public sealed record SubmitDiagnosticResult(string PodStatuses, string Events, DateTime CollectedAt, string? LogTails = null);
