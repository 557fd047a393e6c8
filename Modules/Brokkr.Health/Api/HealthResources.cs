using Brokkr.Contracts.Agents;
using Brokkr.Contracts.Fleet;

namespace Brokkr.Health.Api;

/// <summary>
/// The reference's <c>DeploymentHealth</c>: one agent's latest verdict on one deployment object.
/// <c>summary</c> is the compact <c>HealthSummary</c> JSON as a string.
/// </summary>
public sealed record DeploymentHealth(
    Guid Id,
    Guid AgentId,
    Guid DeploymentObjectId,
    string Status,
    string? Summary,
    DateTime CheckedAt,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>The reference's <c>DeploymentHealthResponse</c>: every agent's record and the worst status.</summary>
public sealed record DeploymentHealthResponse(Guid DeploymentObjectId, IReadOnlyList<DeploymentHealth> HealthRecords, string OverallStatus);

/// <summary>The reference's <c>StackHealthResponse</c>.</summary>
public sealed record StackHealthResponse(Guid StackId, string OverallStatus, IReadOnlyList<DeploymentObjectHealthSummary> DeploymentObjects);

/// <summary>The reference's <c>DeploymentObjectHealthSummary</c>: how many agents report each status for one revision.</summary>
public sealed record DeploymentObjectHealthSummary(Guid Id, string Status, long HealthyAgents, long DegradedAgents, long FailingAgents);

/// <summary>The reference's <c>AgentFleetStatusResponse</c>: the fleet record and the 20 newest events.</summary>
public sealed record AgentFleetStatusResponse(FleetAgentRecord Record, IReadOnlyList<AgentEvent> RecentEvents);
