using Brokkr.Agents.Data;
using Brokkr.Agents.Routing;
using Brokkr.Contracts.Agents;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
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
/// <c>GET /api/v1/agents</c>: admin sees every live agent; a generator sees the agents registered
/// with it (its tenant view); agents are refused.
/// </summary>
public static class ListAgents
{
    public sealed record Query(Caller Caller, Paging Paging) : IQuery<IReadOnlyList<Agent>>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, IReadOnlyList<Agent>>
    {
        public async ValueTask<IReadOnlyList<Agent>> Handle(Query query, CancellationToken cancellationToken)
        {
            var caller = query.Caller;
            var agents = db.GetTable<AgentRow>().Where(a => a.DeletedAt == null);
            if (caller.IsGenerator)
            {
                var generatorId = caller.Id!.Value;
                if (!await db.GetTable<GeneratorView>().AnyAsync(g => g.Id == generatorId && g.DeletedAt == null, cancellationToken))
                {
                    throw ApiException.Forbidden("generator_not_found", "The calling generator no longer exists");
                }

                agents = agents.Where(a => db.GetTable<RegistrationView>().Any(r => r.AgentId == a.Id && r.GeneratorId == generatorId));
            }

            var rows = await query.Paging.Apply(agents.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id)).ToListAsync(cancellationToken);
            return rows.ConvertAll(r => r.ToContract());
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/agents", async (Caller caller, Paging paging, ISender sender, CancellationToken ct) =>
                {
                    if (caller.IsAgent)
                    {
                        throw ApiException.Forbidden("generator_required", "Listing agents requires an admin or generator PAK");
                    }

                    return TypedResults.Ok(await sender.Send(new Query(caller, paging), ct));
                })
                .WithTrailingSlash(required: false)
                .WithTags("agents")
                .WithName("list_agents")
                .WithSummary("List agents")
                .WithDescription("Admin: every live agent. Generator: the agents registered with it. Agent PAKs get 403 `generator_required`. Optional `limit` (1..1000) and `offset`; without them every agent, oldest first.");
    }
}
