using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.WorkOrders.Data;
using Carter;
using LinqToDB;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.WorkOrders.Features;

/// <summary><c>DELETE /api/v1/work-orders/{id}</c>: admin only; cancels an active order (its targeting goes with it).</summary>
public static class DeleteWorkOrder
{
    public sealed record Command(Caller Caller, Guid WorkOrderId) : ICommand;

    internal sealed class Handler(BrokkrDb db) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            command.Caller.RequireAdmin();
            var deleted = await db.GetTable<WorkOrderRow>().Where(w => w.Id == command.WorkOrderId).DeleteAsync(cancellationToken);
            return deleted > 0 ? Unit.Value : throw ApiException.NotFound("work_order_not_found", "Work order not found");
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapDelete("/api/v1/work-orders/{id}", async (Guid id, Caller caller, ISender sender, CancellationToken ct) =>
                {
                    caller.RequireAdmin();
                    await sender.Send(new Command(caller, id), ct);
                    return TypedResults.NoContent();
                })
                .WithTags("work-orders")
                .WithName("delete_work_order")
                .WithSummary("Delete a work order")
                .WithDescription("Admin only. Removes an active order, whatever its status; a finished order stays in the log. 404 `work_order_not_found` for an unknown or finished order.");
    }
}
