using Mediator;

namespace Brokkr.Contracts.Agents;

/// <summary>
/// Records an agent's event (REST <c>POST /agents/{id}/events</c> after its caller checks, or the
/// WebSocket <c>agent_event</c> frame): the same validation (400 <c>invalid_agent_event</c>), the same
/// insert and the same <c>deployment.applied</c>/<c>deployment.failed</c> webhooks, in one transaction.
/// <c>Event.AgentId</c> is ignored in favour of <paramref name="AgentId"/>.
/// </summary>
public sealed record RecordAgentEvent(Guid AgentId, NewAgentEvent Event) : ICommand<AgentEvent>;

/// <summary>
/// Records an agent's heartbeat (REST or the WebSocket <c>heartbeat</c> frame): <c>last_heartbeat</c>,
/// plus the Kubernetes reachability fields when <c>K8sReachable</c> is reported. One UPDATE.
/// </summary>
public sealed record RecordAgentHeartbeat(Guid AgentId, HeartbeatReport? Report) : IRequest;
