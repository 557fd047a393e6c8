using Brokkr.Contracts.WorkOrders;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.WorkOrders.Data;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.WorkOrders.Features;

/// <summary>
/// <c>GET /api/v1/work-orders/{id}</c>: admin only. An active order as it is; a finished one rebuilt
/// from its log entry as <c>COMPLETED</c> or <c>FAILED</c> (details §4.3).
/// </summary>
public static class GetWorkOrder
{
    public sealed record Query(Caller Caller, Guid WorkOrderId) : IQuery<WorkOrder>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, WorkOrder>
    {
        public async ValueTask<WorkOrder> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdmin();
            var active = await db.GetTable<WorkOrderRow>().FirstOrDefaultAsync(w => w.Id == query.WorkOrderId, cancellationToken);
            if (active is not null)
            {
                return active.ToContract();
            }

            var logged = await db.GetTable<WorkOrderLogRow>().FirstOrDefaultAsync(l => l.Id == query.WorkOrderId, cancellationToken);
            return logged?.ToWorkOrder() ?? throw ApiException.NotFound("work_order_not_found", "Work order not found");
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/work-orders/{id}", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, id), ct)))
                .WithTags("work-orders")
                .WithName("get_work_order")
                .WithSummary("Get a work order")
                .WithDescription("Admin only. A finished order is rebuilt from the log: `status` `COMPLETED` or `FAILED`, `updated_at` = `completed_at`, `retry_count` = `retries_attempted`, `max_retries`, `backoff_seconds` and `claim_timeout_seconds` 0, and on failure `last_error` = the result message. 404 `work_order_not_found`.");
    }
}
