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

/// <summary><c>GET /api/v1/work-order-log/{id}</c>: admin only; a finished order's log entry, by the order's id.</summary>
public static class GetWorkOrderLogEntry
{
    public sealed record Query(Caller Caller, Guid WorkOrderId) : IQuery<WorkOrderLog>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, WorkOrderLog>
    {
        public async ValueTask<WorkOrderLog> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdmin();
            var row = await db.GetTable<WorkOrderLogRow>().FirstOrDefaultAsync(l => l.Id == query.WorkOrderId, cancellationToken)
                ?? throw ApiException.NotFound("work_order_log_entry_not_found", "Work order log entry not found");
            return row.ToContract();
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/work-order-log/{id}", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, id), ct)))
                .WithTags("work-orders")
                .WithName("get_work_order_log")
                .WithSummary("Get a finished work order's log entry")
                .WithDescription("Admin only. 404 `work_order_log_entry_not_found` while the order is still active or when there is no such order.");
    }
}
