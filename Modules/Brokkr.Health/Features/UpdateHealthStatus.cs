using Brokkr.Contracts.Health;
using Brokkr.Health.Domain;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Json;
using Carter;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Health.Features;

/// <summary>
/// <c>PATCH /api/v1/agents/{id}/health-status</c>: an agent reports the health of its deployment
/// objects; one upsert per (agent, object) for the whole batch; 200 with an empty body.
/// </summary>
public static class UpdateHealthStatus
{
    /// <summary>A request, not a command: the batch is one statement, atomic without a transaction's extra round trips.</summary>
    public sealed record Request(Caller Caller, Guid AgentId, HealthStatusUpdate Body) : IRequest;

    internal sealed class Handler(BrokkrDb db) : IRequestHandler<Request>
    {
        public async ValueTask<Unit> Handle(Request request, CancellationToken cancellationToken)
        {
            request.Caller.RequireAdminOrAgent(request.AgentId);
            await HealthRecords.RecordAsync(db, request.AgentId, request.Body.DeploymentObjects, cancellationToken);
            return Unit.Value;
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPatch("/api/v1/agents/{id}/health-status", async (Guid id, Caller caller, Json<HealthStatusUpdate> body, ISender sender, CancellationToken ct) =>
                {
                    await sender.Send(new Request(caller, id, body.Value), ct);
                    return TypedResults.Ok();
                })
                .Accepts<HealthStatusUpdate>("application/json")
                .WithTags("health")
                .WithName("update_health_status")
                .WithSummary("Report deployment health")
                .WithDescription("Admin or the agent itself (403 `agent_pak_mismatch`, before any lookup). Each entry's `status` is healthy, degraded, failing or unknown; one bad entry rejects the whole batch with 422 `invalid_health_record`, an unknown deployment object or agent with 422 `foreign_key_violation`. Upserts one record per (agent, deployment object); the summary is stored as its compact JSON. Answers 200 with an empty body.");
    }
}
