using System.Text.Json;
using Mediator;

namespace Brokkr.Contracts.Telemetry;

/// <summary>
/// Kubernetes events an agent forwarded for its stacks (the WebSocket <c>k8s_event</c> frame),
/// stored in one statement. Rows for stacks or agents that do not exist are skipped rather than
/// failing the batch; the answer is the number stored.
/// </summary>
public sealed record AppendK8sEvents(IReadOnlyList<K8sEventReport> Events) : ICommand<int>;

/// <summary>
/// Pod log lines an agent forwarded for its stacks (the WebSocket <c>pod_log_line</c> frame),
/// stored in one statement, skipping unknown stacks and agents; the answer is the number stored.
/// </summary>
public sealed record AppendPodLogLines(IReadOnlyList<PodLogLineReport> Lines) : ICommand<int>;

/// <summary>
/// One Kubernetes event: <c>involved_object</c> is kept as sent
/// (<c>{api_version, kind, namespace?, name, uid?}</c>).
/// </summary>
public sealed record K8sEventReport(
    Guid AgentId,
    Guid StackId,
    DateTime ObservedAt,
    string Reason,
    string Message,
    string EventType,
    JsonElement InvolvedObject,
    string? Source = null);

/// <summary>One line of a container's log.</summary>
public sealed record PodLogLineReport(
    Guid AgentId,
    Guid StackId,
    string Namespace,
    string Pod,
    string Container,
    DateTime Ts,
    string Line);
