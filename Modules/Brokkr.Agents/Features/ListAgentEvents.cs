using Brokkr.Agents.Data;
using Brokkr.Contracts.Agents;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Http;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Agents.Features;

/// <summary>
/// <c>GET /api/v1/agents/{id}/events</c>: the agent's events, newest first, only those whose
/// deployment object is still live. Admin or the agent itself; an unknown id gives [].
/// </summary>
public static class ListAgentEvents
{
    public sealed record Query(Caller Caller, Guid AgentId, Paging Paging) : IQuery<IReadOnlyList<AgentEvent>>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, IReadOnlyList<AgentEvent>>
    {
        public async ValueTask<IReadOnlyList<AgentEvent>> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdminOrAgent(query.AgentId);
            var events =
                from e in db.GetTable<AgentEventRow>()
                join o in db.GetTable<DeploymentObjectView>() on e.DeploymentObjectId equals o.Id
                where e.AgentId == query.AgentId && e.DeletedAt == null && o.DeletedAt == null
                orderby e.CreatedAt descending, e.Id descending
                select e;
            var rows = await query.Paging.Apply(events).ToListAsync(cancellationToken);
            return rows.ConvertAll(r => r.ToContract());
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/agents/{id}/events", async (Guid id, Paging paging, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, id, paging), ct)))
                .WithTags("agent-events")
                .WithName("list_events")
                .WithSummary("List an agent's events")
                .WithDescription("Admin or the agent itself (403 `agent_pak_mismatch`). Newest first; only events whose deployment object still exists. Optional `limit` (1..1000) and `offset`; without them every event. An unknown id gives an empty list.");
    }
}
