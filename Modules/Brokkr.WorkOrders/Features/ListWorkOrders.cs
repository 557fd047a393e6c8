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

/// <summary><c>GET /api/v1/work-orders</c>: admin only; the active queue, newest first.</summary>
public static class ListWorkOrders
{
    public sealed record Query(Caller Caller, string? Status, string? WorkType, Paging Paging) : IQuery<IReadOnlyList<WorkOrder>>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, IReadOnlyList<WorkOrder>>
    {
        public async ValueTask<IReadOnlyList<WorkOrder>> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdmin();
            var orders = db.GetTable<WorkOrderRow>().AsQueryable();
            if (query.Status is { } status)
            {
                orders = orders.Where(w => w.Status == status);
            }

            if (query.WorkType is { } workType)
            {
                orders = orders.Where(w => w.WorkType == workType);
            }

            var rows = await query.Paging.Apply(orders.OrderByDescending(w => w.CreatedAt).ThenByDescending(w => w.Id)).ToListAsync(cancellationToken);
            return rows.ConvertAll(r => r.ToContract());
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/work-orders", async (
                    [FromQuery(Name = "status")] string? status, [FromQuery(Name = "work_type")] string? workType, Paging paging,
                    Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, status, workType, paging), ct)))
                .WithTags("work-orders")
                .WithName("list_work_orders")
                .WithSummary("List work orders")
                .WithDescription("Admin only. The active orders (`PENDING`, `CLAIMED`, `RETRY_PENDING`), newest first; `status` and `work_type` filter by exact value. Finished orders are in the work-order log. Optional `limit` (1 to 1000) and `offset`; without them every order.");
    }
}
