using System.Text.Json;

namespace Brokkr.Telemetry.Api;

/// <summary>
/// The reference's <c>RetentionInfo</c>: telemetry is a 6-hour buffer, not a log store, and every
/// answer says so. <c>oldest_available_ts</c> is the <c>created_at</c> of the last (oldest) row returned.
/// </summary>
public sealed record RetentionInfo(long RetentionCeilingSeconds, long EffectiveRetentionSeconds, DateTime? OldestAvailableTs, string LongTermSinkHint);

/// <summary>The reference's <c>AgentK8sEvent</c>: a Kubernetes event an agent forwarded for a stack.</summary>
public sealed record AgentK8sEvent(
    Guid Id,
    Guid AgentId,
    Guid StackId,
    DateTime ObservedAt,
    string Reason,
    string Message,
    string EventType,
    string? Source,
    JsonElement InvolvedObject,
    DateTime CreatedAt);

/// <summary>The reference's <c>AgentPodLog</c>: one forwarded container log line.</summary>
public sealed record AgentPodLog(
    Guid Id,
    Guid AgentId,
    Guid StackId,
    string Namespace,
    string Pod,
    string Container,
    DateTime Ts,
    string Line,
    DateTime CreatedAt);

/// <summary>The reference's <c>K8sEventHistoryResponse</c>.</summary>
public sealed record K8sEventHistoryResponse(RetentionInfo Retention, IReadOnlyList<AgentK8sEvent> Events);

/// <summary>The reference's <c>PodLogHistoryResponse</c>.</summary>
public sealed record PodLogHistoryResponse(RetentionInfo Retention, IReadOnlyList<AgentPodLog> Lines);
