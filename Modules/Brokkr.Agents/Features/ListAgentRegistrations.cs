using Brokkr.Agents.Data;
using Brokkr.Contracts.Generators;
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

/// <summary><c>GET /api/v1/agents/{id}/registrations</c>: the generators the agent consented to, oldest first.</summary>
public static class ListAgentRegistrations
{
    public sealed record Query(Caller Caller, Guid AgentId) : IQuery<IReadOnlyList<AgentGeneratorRegistration>>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, IReadOnlyList<AgentGeneratorRegistration>>
    {
        public async ValueTask<IReadOnlyList<AgentGeneratorRegistration>> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdminOrAgent(query.AgentId);
            await AgentLookup.LiveAsync(db, query.AgentId, cancellationToken);
            return await db.GetTable<RegistrationView>()
                .Where(r => r.AgentId == query.AgentId)
                .OrderBy(r => r.RegisteredAt).ThenBy(r => r.Id)
                .Select(r => new AgentGeneratorRegistration(r.Id, r.AgentId, r.GeneratorId, r.RegisteredAt))
                .ToListAsync(cancellationToken);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/agents/{id}/registrations", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, id), ct)))
                .WithTags("agents")
                .WithName("list_agent_registrations")
                .WithSummary("List an agent's generator registrations")
                .WithDescription("Admin or the agent itself (403 `agent_pak_mismatch`), then 404 `agent_not_found`.");
    }
}
