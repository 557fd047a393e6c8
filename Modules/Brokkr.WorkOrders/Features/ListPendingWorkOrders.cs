using Brokkr.Contracts.WorkOrders;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Http;
using Brokkr.WorkOrders.Data;
using Carter;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.WorkOrders.Features;

/// <summary>
/// <c>GET /api/v1/agents/{agent_id}/work-orders/pending</c>: admin or the agent itself. The PENDING
/// orders meant for the agent (explicit id, any label, any key=value annotation), oldest first; an
/// agent polls it on every cycle.
/// </summary>
public static class ListPendingWorkOrders
{
    public sealed record Query(Caller Caller, Guid AgentId, string? WorkType, Paging Paging) : IQuery<IReadOnlyList<WorkOrder>>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, IReadOnlyList<WorkOrder>>
    {
        public async ValueTask<IReadOnlyList<WorkOrder>> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdminOrAgent(query.AgentId);
            var rows = await WorkOrderQueue.PendingForAgentAsync(db, query.AgentId, query.WorkType, query.Paging.Limit, query.Paging.Offset, cancellationToken);
            return rows.ConvertAll(r => r.ToContract());
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/agents/{agent_id}/work-orders/pending", async (
                    [FromRoute(Name = "agent_id")] Guid agentId, [FromQuery(Name = "work_type")] string? workType, Paging paging,
                    Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, agentId, workType, paging), ct)))
                .WithTags("work-orders")
                .WithName("list_pending_for_agent")
                .WithSummary("List the work orders an agent may claim")
                .WithDescription("Admin or the agent itself (403 `agent_pak_mismatch`, before any lookup). PENDING orders that name the agent, share one of its labels, or one of its key=value annotations (no registration needed), oldest first; `work_type` filters by exact value. An unknown agent gets an empty list. Optional `limit` (1 to 1000) and `offset`.");
    }
}
