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

/// <summary><c>GET /api/v1/agents/{id}/targets</c>: the agent's explicit targets; admin or the agent itself.</summary>
public static class ListAgentTargets
{
    public sealed record Query(Caller Caller, Guid AgentId) : IQuery<IReadOnlyList<AgentTarget>>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, IReadOnlyList<AgentTarget>>
    {
        public async ValueTask<IReadOnlyList<AgentTarget>> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdminOrAgent(query.AgentId);
            return await db.GetTable<AgentTargetRow>()
                .Where(t => t.AgentId == query.AgentId)
                .OrderBy(t => t.Id)
                .Select(t => new AgentTarget(t.Id, t.AgentId, t.StackId))
                .ToListAsync(cancellationToken);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/agents/{id}/targets", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, id), ct)))
                .WithTags("agent-targets")
                .WithName("list_targets")
                .WithSummary("List an agent's explicit targets")
                .WithDescription("Admin or the agent itself (403 `agent_pak_mismatch`). An unknown id gives an empty list.");
    }
}
