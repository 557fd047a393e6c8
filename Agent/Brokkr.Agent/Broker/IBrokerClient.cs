using Brokkr.Contracts.Agents;
using AgentRecord = Brokkr.Contracts.Agents.Agent;

namespace Brokkr.Agent.Broker;

/// <summary>The broker operations the agent uses (behaviour §14), over REST with the agent's PAK.</summary>
internal interface IBrokerClient
{
    /// <summary><c>GET /readyz</c>: true on 200.</summary>
    Task<bool> IsReadyAsync(CancellationToken cancellationToken);

    /// <summary><c>POST /api/v1/auth/pak</c>; 401 throws.</summary>
    Task<AuthResponse> VerifyPakAsync(CancellationToken cancellationToken);

    /// <summary><c>GET /api/v1/agents/?name=&amp;cluster_name=</c>; 404 throws.</summary>
    Task<AgentRecord> FindAgentAsync(string name, string clusterName, CancellationToken cancellationToken);

    Task<AgentRecord> GetAgentAsync(Guid agentId, CancellationToken cancellationToken);

    /// <summary><c>POST /api/v1/generators/{id}/register</c>; true when registered now or already (409).</summary>
    Task<bool> RegisterWithGeneratorAsync(Guid generatorId, Guid agentId, CancellationToken cancellationToken);

    /// <summary>
    /// <c>GET /api/v1/agents/{id}/target-state?mode=…&amp;since_sequence=…</c> with If-None-Match;
    /// <paramref name="revalidate"/> adds <c>Cache-Control: no-cache</c> (after a push, ADR 0033).
    /// </summary>
    Task<TargetStateResult> GetTargetStateAsync(Guid agentId, bool full, long? sinceSequence, string? ifNoneMatch, bool revalidate, CancellationToken cancellationToken);

    Task SendHeartbeatAsync(Guid agentId, HeartbeatReport report, CancellationToken cancellationToken);

    Task<AgentEvent> SendEventAsync(Guid agentId, NewAgentEvent agentEvent, CancellationToken cancellationToken);

    /// <summary><c>POST /api/v1/agents/{id}/events/batch</c> (ADR 0031): all or none; a broker without the route answers 404 or 405.</summary>
    Task<IReadOnlyList<AgentEvent>> SendEventsAsync(Guid agentId, IReadOnlyList<NewAgentEvent> events, CancellationToken cancellationToken);

    /// <summary><c>GET /api/v1/agents/{id}/work-orders/pending</c>: orders this agent may claim, oldest first.</summary>
    Task<IReadOnlyList<Brokkr.Contracts.WorkOrders.WorkOrder>> GetPendingWorkOrdersAsync(Guid agentId, CancellationToken cancellationToken);

    /// <summary><c>POST /api/v1/work-orders/{id}/claim</c>; 409 when another agent was first.</summary>
    Task<Brokkr.Contracts.WorkOrders.WorkOrder> ClaimWorkOrderAsync(Guid workOrderId, Guid agentId, CancellationToken cancellationToken);

    /// <summary><c>POST /api/v1/work-orders/{id}/complete</c>.</summary>
    Task CompleteWorkOrderAsync(Guid workOrderId, Brokkr.Contracts.WorkOrders.CompleteWorkOrderRequest completion, CancellationToken cancellationToken);

    /// <summary><c>GET /api/v1/agents/{id}/diagnostics/pending</c>.</summary>
    Task<IReadOnlyList<Brokkr.Contracts.Diagnostics.DiagnosticRequest>> GetPendingDiagnosticsAsync(Guid agentId, CancellationToken cancellationToken);

    /// <summary><c>POST /api/v1/diagnostics/{id}/claim</c>; 409 when it is no longer pending.</summary>
    Task ClaimDiagnosticAsync(Guid requestId, CancellationToken cancellationToken);

    /// <summary><c>POST /api/v1/diagnostics/{id}/result</c>.</summary>
    Task SubmitDiagnosticResultAsync(Guid requestId, Brokkr.Contracts.Diagnostics.SubmitDiagnosticResult result, CancellationToken cancellationToken);

    /// <summary><c>GET /api/v1/deployment-objects/{id}</c> (403 for an agent associated only by label or annotation).</summary>
    Task<Brokkr.Contracts.Stacks.DeploymentObject> GetDeploymentObjectAsync(Guid deploymentObjectId, CancellationToken cancellationToken);

    /// <summary><c>GET /api/v1/agents/{id}/webhooks/pending</c>: claims up to 10 deliveries for 60 s.</summary>
    Task<IReadOnlyList<Webhooks.PendingWebhookDelivery>> GetPendingWebhooksAsync(Guid agentId, CancellationToken cancellationToken);

    /// <summary><c>POST /api/v1/webhook-deliveries/{id}/result</c>.</summary>
    Task ReportWebhookResultAsync(Guid deliveryId, Webhooks.DeliveryResultRequest result, CancellationToken cancellationToken);

    /// <summary><c>PATCH /api/v1/agents/{id}/health-status</c>.</summary>
    Task ReportHealthAsync(Guid agentId, Brokkr.Contracts.Health.HealthStatusUpdate update, CancellationToken cancellationToken);
}
