using Brokkr.Contracts.Audit;
using Brokkr.Contracts.WorkOrders;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Json;
using Brokkr.WorkOrders.Data;
using Brokkr.WorkOrders.Domain;
using Carter;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.WorkOrders.Features;

/// <summary>
/// <c>POST /api/v1/work-orders/{id}/claim</c>: admin, or the agent named in the body. One conditional
/// UPDATE decides, so of any number of concurrent claims on any number of brokers exactly one wins.
/// </summary>
public static class ClaimWorkOrder
{
    public sealed record Command(Caller Caller, Guid WorkOrderId, ClaimWorkOrderRequest Body) : ICommand<WorkOrder>;

    internal sealed class Handler(BrokkrDb db, TimeProvider time, IPublisher publisher) : ICommandHandler<Command, WorkOrder>
    {
        public async ValueTask<WorkOrder> Handle(Command command, CancellationToken cancellationToken)
        {
            var agentId = command.Body.AgentId;
            command.Caller.RequireAdminOrAgent(agentId);
            var row = await WorkOrderQueue.ClaimAsync(db, command.WorkOrderId, agentId, time.GetUtcNow().UtcDateTime, cancellationToken)
                ?? throw ApiException.NotFound("work_order_not_claimable", "Work order not found or not claimable by this agent");

            await publisher.Publish(new AuditEntry(command.Caller.ActorType, command.Caller.ActorId, "workorder.claimed", "work_order", row.Id,
                new Dictionary<string, object?> { ["agent_id"] = agentId }), cancellationToken);
            await WorkOrderEvents.ClaimedAsync(publisher, row, cancellationToken);
            return row.ToContract();
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/work-orders/{id}/claim", async (Guid id, Caller caller, Json<ClaimWorkOrderRequest> body, ISender sender, CancellationToken ct) =>
                {
                    caller.RequireAdminOrAgent(body.Value.AgentId);
                    return TypedResults.Ok(await sender.Send(new Command(caller, id, body.Value), ct));
                })
                .Accepts<ClaimWorkOrderRequest>("application/json")
                .WithTags("work-orders")
                .WithName("claim_work_order")
                .WithSummary("Claim a work order")
                .WithDescription("Admin, or an agent claiming for itself (403 `agent_pak_mismatch` when the body's `agent_id` is another agent). Atomic: the order becomes CLAIMED by that agent only if it is PENDING and meant for the agent; otherwise, and for an unknown order, 404 `work_order_not_claimable`. Of concurrent claims exactly one succeeds.");
    }
}
