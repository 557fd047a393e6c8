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
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Agents.Features;

/// <summary>
/// <c>GET /api/v1/agent-events</c>: admin only; every live event, newest first, optionally narrowed to
/// one tenant's agents with <c>?pak_id=&lt;generator id&gt;</c> (a view filter, not a boundary).
/// </summary>
public static class ListAllAgentEvents
{
    public sealed record Query(Caller Caller, Guid? GeneratorId, Paging Paging) : IQuery<IReadOnlyList<AgentEvent>>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, IReadOnlyList<AgentEvent>>
    {
        public async ValueTask<IReadOnlyList<AgentEvent>> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdmin();
            var events = db.GetTable<AgentEventRow>().Where(e => e.DeletedAt == null);
            if (query.GeneratorId is { } generatorId)
            {
                events = events.Where(e => db.GetTable<RegistrationView>().Any(r => r.AgentId == e.AgentId && r.GeneratorId == generatorId)
                    && db.GetTable<GeneratorView>().Any(g => g.Id == generatorId && g.DeletedAt == null));
            }

            var rows = await query.Paging.Apply(events.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id)).ToListAsync(cancellationToken);
            return rows.ConvertAll(r => r.ToContract());
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/agent-events", async (
                    Caller caller, [FromQuery(Name = "pak_id")] string? pakId, Paging paging, ISender sender, CancellationToken ct) =>
                {
                    var generatorId = QueryParameters.OptionalUuid("pak_id", pakId);
                    caller.RequireAdmin();
                    return TypedResults.Ok(await sender.Send(new Query(caller, generatorId, paging), ct));
                })
                .WithTags("agent-events")
                .WithName("list_agent_events")
                .WithSummary("List all agent events")
                .WithDescription("Admin only (403 `admin_required`). Newest first. `?pak_id=<generator id>` keeps the events of agents registered with that generator (unknown: empty list). Optional `limit` (1..1000) and `offset`; without them every event.");
    }
}
