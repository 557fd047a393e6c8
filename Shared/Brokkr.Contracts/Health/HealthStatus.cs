using System.Text.Json.Serialization;
using Mediator;

namespace Brokkr.Contracts.Health;

/// <summary>The body of <c>PATCH /agents/{id}/health-status</c> (<c>HealthStatusUpdate</c>).</summary>
public sealed record HealthStatusUpdate(IReadOnlyList<DeploymentObjectHealthUpdate> DeploymentObjects);

/// <summary>
/// One deployment object's health as an agent saw it (<c>DeploymentObjectHealthUpdate</c>):
/// <c>status</c> is <c>healthy</c>, <c>degraded</c>, <c>failing</c> or <c>unknown</c>.
/// </summary>
public sealed record DeploymentObjectHealthUpdate(Guid Id, string Status, DateTime CheckedAt, HealthSummary? Summary = null);

/// <summary>
/// The reference's <c>HealthSummary</c>. The broker stores its compact serialization, in this key
/// order, with <c>resources</c> left out when it is not set.
/// </summary>
public sealed record HealthSummary(
    int PodsReady,
    int PodsTotal,
    IReadOnlyList<string> Conditions,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ResourceHealth>? Resources = null);

/// <summary>The reference's <c>ResourceHealth</c>; <c>message</c> is left out when it is not set.</summary>
public sealed record ResourceHealth(
    string Kind,
    string Name,
    string Namespace,
    bool Ready,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message = null);

/// <summary>
/// Records an agent's health reports (the WebSocket <c>agent_health</c> frame, or any caller that
/// already knows the agent): the same validation and upsert as the REST PATCH. A report with an
/// invalid status fails the whole batch with 422 <c>invalid_health_record</c>.
/// </summary>
public sealed record RecordDeploymentHealth(Guid AgentId, IReadOnlyList<DeploymentObjectHealthUpdate> Updates) : ICommand;
