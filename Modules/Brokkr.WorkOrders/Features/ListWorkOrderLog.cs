using Brokkr.Contracts.WorkOrders;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Http;
using Brokkr.WorkOrders.Data;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.WorkOrders.Features;

/// <summary><c>GET /api/v1/work-order-log</c>: admin only; finished orders, most recently completed first.</summary>
public static class ListWorkOrderLog
{
    public sealed record Query(Caller Caller, string? WorkType, bool? Success, Guid? AgentId, Paging Paging) : IQuery<IReadOnlyList<WorkOrderLog>>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, IReadOnlyList<WorkOrderLog>>
    {
        public async ValueTask<IReadOnlyList<WorkOrderLog>> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdmin();
            var entries = db.GetTable<WorkOrderLogRow>().AsQueryable();
            if (query.WorkType is { } workType)
            {
                entries = entries.Where(l => l.WorkType == workType);
            }

            if (query.Success is { } success)
            {
                entries = entries.Where(l => l.Success == success);
            }

            if (query.AgentId is { } agentId)
            {
                entries = entries.Where(l => l.ClaimedBy == agentId);
            }

            var rows = await query.Paging.Apply(entries.OrderByDescending(l => l.CompletedAt).ThenByDescending(l => l.Id)).ToListAsync(cancellationToken);
            return rows.ConvertAll(r => r.ToContract());
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/work-order-log", async (
                    [FromQuery(Name = "work_type")] string? workType, [FromQuery(Name = "success")] string? success,
                    [FromQuery(Name = "agent_id")] string? agentId, Paging paging, Caller caller, ISender sender, CancellationToken ct) =>
                {
                    var succeeded = QueryParameters.OptionalBool("success", success);
                    var agent = QueryParameters.OptionalUuid("agent_id", agentId);
                    return TypedResults.Ok(await sender.Send(new Query(caller, workType, succeeded, agent, paging), ct));
                })
                .WithTags("work-orders")
                .WithName("list_work_order_log")
                .WithSummary("List finished work orders")
                .WithDescription("Admin only. Most recently completed first; filter by exact `work_type`, `success` (true or false) and `agent_id` (the claimant). `limit` is 1 to 1000 (400 `invalid_query_parameter` otherwise; the reference had no maximum), with an optional `offset`; without `limit` every entry.");
    }
}
