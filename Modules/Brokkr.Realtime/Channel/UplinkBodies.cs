using System.Text.Json;
using System.Text.Json.Serialization;

namespace Brokkr.Realtime.Channel;

// The bodies an agent sends (behaviour §11, the wire fixture). Only what the broker uses is
// required; the rest of the reference's shape (ids the broker assigns, timestamps) is ignored.

/// <summary><c>heartbeat</c>: <c>{agent_id, sent_at, k8s_reachable?, k8s_api_latency_ms?}</c>.</summary>
internal sealed record HeartbeatBody(Guid AgentId, DateTime? SentAt = null, bool? K8sReachable = null, long? K8sApiLatencyMs = null);

/// <summary><c>agent_event</c>: an <c>AgentEvent</c> whose id the broker assigns.</summary>
internal sealed record AgentEventBody(Guid AgentId, Guid DeploymentObjectId, string EventType, string Status, string? Message = null);

/// <summary><c>agent_health</c>: one <c>DeploymentHealth</c>; <c>summary</c> is the serialized <c>HealthSummary</c> or null.</summary>
internal sealed record AgentHealthBody(Guid AgentId, Guid DeploymentObjectId, string Status, DateTime CheckedAt, string? Summary = null);

/// <summary><c>k8s_event</c>, in the fixture's key order.</summary>
internal sealed record K8sEventBody(
    [property: JsonPropertyOrder(0)] Guid AgentId,
    [property: JsonPropertyOrder(1)] Guid StackId,
    [property: JsonPropertyOrder(2)] DateTime ObservedAt,
    [property: JsonPropertyOrder(3)] string Reason,
    [property: JsonPropertyOrder(4)] string Message,
    [property: JsonPropertyOrder(5)] string EventType,
    [property: JsonPropertyOrder(7)] JsonElement InvolvedObject,
    [property: JsonPropertyOrder(6)] string? Source = null);

/// <summary><c>pod_log_line</c>.</summary>
internal sealed record PodLogLineBody(Guid AgentId, Guid StackId, string Namespace, string Pod, string Container, DateTime Ts, string Line);

/// <summary><c>log_gap</c>: <c>reason</c> is <c>rate_limit</c>, <c>buffer_full</c> or <c>disconnected</c>.</summary>
internal sealed record LogGapBody(Guid AgentId, Guid StackId, DateTime SinceTs, ulong DroppedCount, string Reason)
{
    public const string BufferFull = "buffer_full";

    public static bool IsKnownReason(string reason) => reason is "rate_limit" or BufferFull or "disconnected";
}
