using Brokkr.Contracts.Diagnostics;
using Brokkr.Diagnostics.Data;
using Brokkr.Diagnostics.Domain;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Diagnostics.Features;

/// <summary>
/// <c>GET /api/v1/agents/{id}/diagnostics/pending</c>: the agent's pending, unexpired requests,
/// oldest first. Admin or the agent itself; an unknown agent gets an empty list.
/// </summary>
public static class ListPendingDiagnostics
{
    public sealed record Query(Caller Caller, Guid AgentId) : IQuery<IReadOnlyList<DiagnosticRequest>>;

    internal sealed class Handler(BrokkrDb db, TimeProvider time) : IQueryHandler<Query, IReadOnlyList<DiagnosticRequest>>
    {
        public async ValueTask<IReadOnlyList<DiagnosticRequest>> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdminOrAgent(query.AgentId);
            var now = DbClock.Now(time);
            var rows = await db.GetTable<DiagnosticRequestRow>()
                .Where(r => r.AgentId == query.AgentId && r.Status == DiagnosticStatus.Pending && r.ExpiresAt > now)
                .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
                .ToListAsync(cancellationToken);
            return rows.ConvertAll(r => r.ToContract());
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/agents/{id}/diagnostics/pending", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, id), ct)))
                .WithTags("diagnostics")
                .WithName("get_pending_diagnostics")
                .WithSummary("List an agent's pending diagnostic requests")
                .WithDescription("Admin or the agent itself (403 `agent_pak_mismatch`, checked before any lookup). Pending requests that have not expired, oldest first; an unknown agent gets an empty list.");
    }
}
