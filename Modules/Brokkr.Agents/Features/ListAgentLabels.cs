using Brokkr.Agents.Api;
using Brokkr.Agents.Data;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Agents.Features;

/// <summary><c>GET /api/v1/agents/{id}/labels</c>: admin or the agent itself; no existence check (an unknown id gives []).</summary>
public static class ListAgentLabels
{
    public sealed record Query(Caller Caller, Guid AgentId) : IQuery<IReadOnlyList<AgentLabel>>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, IReadOnlyList<AgentLabel>>
    {
        public async ValueTask<IReadOnlyList<AgentLabel>> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdminOrAgent(query.AgentId);
            return await db.GetTable<AgentLabelRow>()
                .Where(l => l.AgentId == query.AgentId)
                .OrderBy(l => l.Id)
                .Select(l => new AgentLabel(l.Id, l.AgentId, l.Label))
                .ToListAsync(cancellationToken);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/agents/{id}/labels", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, id), ct)))
                .WithTags("agent-labels")
                .WithName("agents_list_labels")
                .WithSummary("List an agent's labels")
                .WithDescription("Admin or the agent itself (403 `agent_pak_mismatch`). An unknown id gives an empty list.");
    }
}
