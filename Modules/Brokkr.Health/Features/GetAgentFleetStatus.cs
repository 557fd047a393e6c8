using Brokkr.Health.Api;
using Brokkr.Health.Data;
using Brokkr.Health.Domain;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Health.Features;

/// <summary><c>GET /api/v1/agents/{id}/fleet-status</c>: one agent's fleet record and its 20 newest events. Admin only.</summary>
public static class GetAgentFleetStatus
{
    public const int RecentEventCount = 20;

    public sealed record Query(Caller Caller, Guid AgentId) : IQuery<AgentFleetStatusResponse>;

    internal sealed class Handler(BrokkrDb db, FleetReader reader) : IQueryHandler<Query, AgentFleetStatusResponse>
    {
        public async ValueTask<AgentFleetStatusResponse> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdmin();
            var records = await reader.ReadAsync(FleetScope.Agent(query.AgentId), cancellationToken);
            if (records.Count == 0)
            {
                throw ApiException.NotFound("agent_not_found", "Agent not found");
            }

            // As GET /agents/{id}/events: only events whose deployment object is still live.
            var events = await (
                    from e in db.GetTable<AgentEventView>()
                    join o in db.GetTable<DeploymentObjectView>() on e.DeploymentObjectId equals o.Id
                    where e.AgentId == query.AgentId && e.DeletedAt == null && o.DeletedAt == null
                    orderby e.CreatedAt descending, e.Id descending
                    select e)
                .Take(RecentEventCount)
                .ToListAsync(cancellationToken);
            return new AgentFleetStatusResponse(records[0], events.ConvertAll(e => e.ToContract()));
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/agents/{id}/fleet-status", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, id), ct)))
                .WithTags("fleet")
                .WithName("get_agent_fleet_status")
                .WithSummary("Get an agent's fleet status")
                .WithDescription("Admin only (403 `admin_required`, then 404 `agent_not_found`). The agent's `FleetAgentRecord` and its 20 newest events whose deployment object is live, newest first.");
    }
}
