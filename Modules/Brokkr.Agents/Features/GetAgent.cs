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

/// <summary><c>GET /api/v1/agents/{id}</c>: admin or the agent itself. The agent polls it to pick up status changes.</summary>
public static class GetAgent
{
    public sealed record Query(Caller Caller, Guid AgentId) : IQuery<Agent>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, Agent>
    {
        public async ValueTask<Agent> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdminOrAgent(query.AgentId);
            var row = await AgentLookup.LiveAsync(db, query.AgentId, cancellationToken);
            return row.ToContract();
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/agents/{id}", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, id), ct)))
                .WithTags("agents")
                .WithName("get_agent")
                .WithSummary("Get an agent")
                .WithDescription("Admin or the agent itself (403 `agent_pak_mismatch`, checked before 404 `agent_not_found`).");
    }
}

internal static class AgentLookup
{
    /// <summary>A live agent, or 404 <c>agent_not_found</c> (soft-deleted counts as missing).</summary>
    public static async Task<AgentRow> LiveAsync(BrokkrDb db, Guid agentId, CancellationToken cancellationToken)
        => await db.GetTable<AgentRow>().FirstOrDefaultAsync(a => a.Id == agentId && a.DeletedAt == null, cancellationToken)
            ?? throw ApiException.NotFound("agent_not_found", "Agent not found");

    public static Task<bool> ExistsAsync(BrokkrDb db, Guid agentId, CancellationToken cancellationToken)
        => db.GetTable<AgentRow>().AnyAsync(a => a.Id == agentId && a.DeletedAt == null, cancellationToken);
}
