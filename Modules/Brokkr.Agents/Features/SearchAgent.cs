using Brokkr.Agents.Data;
using Brokkr.Agents.Routing;
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
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Agents.Features;

/// <summary>
/// <c>GET /api/v1/agents/?name=&amp;cluster_name=</c> (trailing slash): how an agent finds its own id at
/// startup. The lookup runs before the authorization check, as in the reference (404 before 403).
/// </summary>
public static class SearchAgent
{
    public sealed record Query(Caller Caller, string Name, string ClusterName) : IQuery<Agent>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, Agent>
    {
        public async ValueTask<Agent> Handle(Query query, CancellationToken cancellationToken)
        {
            var row = await db.GetTable<AgentRow>()
                .FirstOrDefaultAsync(a => a.Name == query.Name && a.ClusterName == query.ClusterName && a.DeletedAt == null, cancellationToken)
                ?? throw ApiException.NotFound("agent_not_found", "Agent not found");
            query.Caller.RequireAdminOrAgent(row.Id);
            return row.ToContract();
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/agents/", async (
                    Caller caller, [FromQuery] string? name, [FromQuery(Name = "cluster_name")] string? clusterName, ISender sender, CancellationToken ct) =>
                {
                    if (name is null || clusterName is null)
                    {
                        throw ApiException.BadRequest("name_and_cluster_required", "Both name and cluster_name query parameters are required");
                    }

                    return TypedResults.Ok(await sender.Send(new Query(caller, name, clusterName), ct));
                })
                .WithTrailingSlash(required: true)
                .WithTags("agents")
                .WithName("search_agent")
                .WithSummary("Find an agent by name and cluster")
                .WithDescription("Note the trailing slash. Both `name` and `cluster_name` are required (400 `name_and_cluster_required`). Admin or the agent itself; the lookup comes first, so an unknown pair is 404 `agent_not_found` for anyone, then 403 `agent_pak_mismatch`.");
    }
}
