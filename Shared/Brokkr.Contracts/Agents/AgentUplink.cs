using Mediator;

namespace Brokkr.Contracts.Agents;

/// <summary>
/// Records an agent's event (REST <c>POST /agents/{id}/events</c> after its caller checks, or the
/// WebSocket <c>agent_event</c> frame): the same validation (400 <c>invalid_agent_event</c>), the same
/// insert and the same <c>deployment.applied</c>/<c>deployment.failed</c> webhooks, in one transaction
/// (the Agents module's own: a group commit shared with other requests, ADR 0031, so not a command that
/// would open a transaction of its own). <c>Event.AgentId</c> is ignored in favour of <paramref name="AgentId"/>.
/// </summary>
public sealed record RecordAgentEvent(Guid AgentId, NewAgentEvent Event) : IRequest<AgentEvent>;

/// <summary>
/// Records an agent's heartbeat (REST or the WebSocket <c>heartbeat</c> frame): <c>last_heartbeat</c>,
/// plus the Kubernetes reachability fields when <c>K8sReachable</c> is reported. Answered once stored
/// (one UPDATE per group of heartbeats, ADR 0031).
/// </summary>
public sealed record RecordAgentHeartbeat(Guid AgentId, HeartbeatReport? Report) : IRequest;
