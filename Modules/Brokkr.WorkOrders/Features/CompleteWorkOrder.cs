using Brokkr.Contracts.Audit;
using Brokkr.Contracts.WorkOrders;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Json;
using Brokkr.Shared.Text;
using Brokkr.WorkOrders.Data;
using Brokkr.WorkOrders.Domain;
using Carter;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.WorkOrders.Features;

/// <summary>
/// <c>POST /api/v1/work-orders/{id}/complete</c>: admin, or the agent holding the claim. Success or a
/// final failure moves the order to the log (200 <c>WorkOrderLog</c>); a retryable failure with
/// retries left schedules a retry with exponential backoff (202).
/// </summary>
public static class CompleteWorkOrder
{
    public const string DefaultFailureMessage = "Unknown error";

    public sealed record Command(Caller Caller, Guid WorkOrderId, CompleteWorkOrderRequest Body) : ICommand<Result>;

    /// <summary>The log entry, or null when a retry was scheduled.</summary>
    public sealed record Result(WorkOrderLog? Log);

    internal sealed class Handler(BrokkrDb db, TimeProvider time, IPublisher publisher) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var (caller, body) = (command.Caller, command.Body);

            // The row stays locked until the transaction ends: a concurrent completion waits here and
            // then finds the order gone (404) or no longer claimed by it (403).
            var order = await WorkOrderQueue.LockAsync(db, command.WorkOrderId, cancellationToken) ?? throw NotFound();
            if (!caller.IsAdmin && !(caller.IsAgent && caller.Id == order.ClaimedBy))
            {
                throw ApiException.Forbidden("work_order_not_claimed_by_agent", "The work order is not claimed by this agent");
            }

            if (!WireText.IsStorable(body.Message))
            {
                throw ApiException.BadRequest(WorkOrderRules.InvalidCode, "message must not contain NUL characters or unpaired surrogates");
            }

            var now = time.GetUtcNow().UtcDateTime;
            if (body.Success)
            {
                var completed = await MoveToLogAsync(order.Id, success: true, body.Message, now, cancellationToken);
                await AuditAsync(caller, "workorder.completed", order.Id, null, cancellationToken);
                await WorkOrderEvents.FinishedAsync(publisher, completed, cancellationToken);
                return new Result(completed.ToContract());
            }

            var message = body.Message ?? DefaultFailureMessage;
            if (WorkOrderRules.IsFinalFailure(order.RetryCount, order.MaxRetries, body.Retryable))
            {
                var failed = await MoveToLogAsync(order.Id, success: false, message, now, cancellationToken);
                await AuditAsync(caller, "workorder.failed", order.Id, new Dictionary<string, object?> { ["retryable"] = body.Retryable }, cancellationToken);
                await WorkOrderEvents.FinishedAsync(publisher, failed, cancellationToken);
                return new Result(failed.ToContract());
            }

            var retryCount = order.RetryCount + 1;
            await WorkOrderQueue.ScheduleRetryAsync(db, order.Id, message, WorkOrderRules.NextRetryAfter(now, order.BackoffSeconds, retryCount), now, cancellationToken);
            await AuditAsync(caller, "workorder.retry", order.Id, new Dictionary<string, object?> { ["retry_count"] = retryCount }, cancellationToken);
            return new Result(null);
        }

        private async Task<WorkOrderLogRow> MoveToLogAsync(Guid id, bool success, string? message, DateTime now, CancellationToken cancellationToken)
            => await WorkOrderQueue.MoveToLogAsync(db, id, success, message, now, cancellationToken) ?? throw NotFound();

        private ValueTask AuditAsync(Caller caller, string action, Guid id, Dictionary<string, object?>? details, CancellationToken cancellationToken)
            => publisher.Publish(new AuditEntry(caller.ActorType, caller.ActorId, action, "work_order", id, details), cancellationToken);

        private static ApiException NotFound() => ApiException.NotFound("work_order_not_found", "Work order not found");
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/work-orders/{id}/complete", async Task<Results<Ok<WorkOrderLog>, Accepted<WorkOrderRetryScheduled>>> (
                    Guid id, Caller caller, Json<CompleteWorkOrderRequest> body, ISender sender, CancellationToken ct) =>
                {
                    var result = await sender.Send(new Command(caller, id, body.Value), ct);
                    return result.Log is { } log
                        ? TypedResults.Ok(log)
                        : TypedResults.Accepted((string?)null, WorkOrderRetryScheduled.Instance);
                })
                .Accepts<CompleteWorkOrderRequest>("application/json")
                .WithTags("work-orders")
                .WithName("complete_work_order")
                .WithSummary("Report a work order's outcome")
                .WithDescription("Admin, or the agent that claimed the order (403 `work_order_not_claimed_by_agent`); 404 `work_order_not_found` for an unknown or finished order. Success moves the order to the log (200 `WorkOrderLog`, under the order's id). A failure with `retryable` false (default true), or with no retries left, moves it to the log as failed with `message` (default \"Unknown error\"); otherwise 202 `{\"status\":\"retry_scheduled\"}`: RETRY_PENDING, one more retry counted, due after `backoff_seconds` × 2^retry_count, claim cleared.");
    }
}
