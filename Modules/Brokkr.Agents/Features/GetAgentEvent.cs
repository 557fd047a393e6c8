using Brokkr.Agents.Data;
using Brokkr.Contracts.Agents;
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

namespace Brokkr.Agents.Features;

/// <summary><c>GET /api/v1/agent-events/{id}</c>: admin only.</summary>
public static class GetAgentEvent
{
    public sealed record Query(Caller Caller, Guid EventId) : IQuery<AgentEvent>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, AgentEvent>
    {
        public async ValueTask<AgentEvent> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdmin();
            var row = await db.GetTable<AgentEventRow>().FirstOrDefaultAsync(e => e.Id == query.EventId && e.DeletedAt == null, cancellationToken)
                ?? throw ApiException.NotFound("agent_event_not_found", "Agent event not found");
            return row.ToContract();
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/agent-events/{id}", async (Guid id, Caller caller, ISender sender, CancellationToken ct) =>
                {
                    caller.RequireAdmin();
                    return TypedResults.Ok(await sender.Send(new Query(caller, id), ct));
                })
                .WithTags("agent-events")
                .WithName("get_agent_event")
                .WithSummary("Get an agent event")
                .WithDescription("Admin only (403 `admin_required`), then 404 `agent_event_not_found`.");
    }
}
