using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Stacks.Api;
using Brokkr.Stacks.Data;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Stacks.Features;

/// <summary>
/// <c>GET /api/v1/agents/{id}/stacks</c>: the live stacks associated with the agent, by stack id;
/// the same association view as target state and stack deletion.
/// </summary>
public static class ListAgentStacks
{
    public sealed record Query(Caller Caller, Guid AgentId) : IQuery<IReadOnlyList<Stack>>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, IReadOnlyList<Stack>>
    {
        public async ValueTask<IReadOnlyList<Stack>> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdminOrAgent(query.AgentId);
            var agentId = query.AgentId;
            var associated = db.GetTable<StackAssociationView>().Where(a => a.AgentId == agentId).Select(a => a.StackId);
            var rows = await db.GetTable<StackRow>()
                .Where(s => s.DeletedAt == null
                    && associated.Contains(s.Id)
                    && db.GetTable<AgentView>().Any(a => a.Id == agentId && a.DeletedAt == null))
                .OrderBy(s => s.Id)
                .ToListAsync(cancellationToken);
            return rows.ConvertAll(Stack.From);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/agents/{id}/stacks", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, id), ct)))
                .WithTags("agents")
                .WithName("get_associated_stacks")
                .WithSummary("List the stacks associated with an agent")
                .WithDescription("Admin or the agent itself. The live stacks the agent receives: explicit targets, plus stacks sharing a label or an exact annotation with the agent from generators it is registered with. Sorted by stack id. Deleted stacks are not listed.");
    }
}
