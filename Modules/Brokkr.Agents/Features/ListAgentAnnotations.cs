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

/// <summary><c>GET /api/v1/agents/{id}/annotations</c>: admin or the agent itself; no existence check (an unknown id gives []).</summary>
public static class ListAgentAnnotations
{
    public sealed record Query(Caller Caller, Guid AgentId) : IQuery<IReadOnlyList<AgentAnnotation>>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, IReadOnlyList<AgentAnnotation>>
    {
        public async ValueTask<IReadOnlyList<AgentAnnotation>> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdminOrAgent(query.AgentId);
            return await db.GetTable<AgentAnnotationRow>()
                .Where(a => a.AgentId == query.AgentId)
                .OrderBy(a => a.Id)
                .Select(a => new AgentAnnotation(a.Id, a.AgentId, a.Key, a.Value))
                .ToListAsync(cancellationToken);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/agents/{id}/annotations", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, id), ct)))
                .WithTags("agent-annotations")
                .WithName("agents_list_annotations")
                .WithSummary("List an agent's annotations")
                .WithDescription("Admin or the agent itself (403 `agent_pak_mismatch`). An unknown id gives an empty list.");
    }
}
