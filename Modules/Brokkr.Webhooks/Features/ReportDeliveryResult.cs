using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Json;
using Brokkr.Webhooks.Api;
using Brokkr.Webhooks.Data;
using Brokkr.Webhooks.Delivery;
using Brokkr.Webhooks.Domain;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Webhooks.Features;

/// <summary>
/// <c>POST /api/v1/webhook-deliveries/{id}/result</c>: only the agent that holds the delivery's claim
/// reports how sending it went; the outcome is classified as the broker's own attempts are.
/// </summary>
public static class ReportDeliveryResult
{
    public sealed record Command(Caller Caller, Guid DeliveryId, DeliveryResultRequest Body) : ICommand<IReadOnlyDictionary<string, object?>>;

    internal sealed class Handler(BrokkrDb db, DeliveryLedger ledger, TimeProvider time)
        : ICommandHandler<Command, IReadOnlyDictionary<string, object?>>
    {
        public async ValueTask<IReadOnlyDictionary<string, object?>> Handle(Command command, CancellationToken cancellationToken)
        {
            var caller = command.Caller;
            if (!caller.IsAgent || caller.Id is not { } agentId)
            {
                throw ApiException.Forbidden("agent_pak_required", "Only an agent PAK can report a delivery result");
            }

            var delivery = await db.GetTable<DeliveryRow>().FirstOrDefaultAsync(d => d.Id == command.DeliveryId, cancellationToken)
                ?? throw ApiException.NotFound("delivery_not_found", "Webhook delivery not found");
            if (delivery.Status != DeliveryStatus.Acquired || delivery.AcquiredBy != agentId)
            {
                throw ApiException.Forbidden("delivery_not_acquired_by_agent", "The delivery is not acquired by this agent");
            }

            var maxRetries = await db.GetTable<SubscriptionRow>().Where(s => s.Id == delivery.SubscriptionId).Select(s => s.MaxRetries).FirstAsync(cancellationToken);
            var body = command.Body;
            var now = DbClock.Now(time);
            var transition = DeliveryRules.After(body.Success, body.StatusCode, delivery.Attempts, maxRetries, now);
            var error = body.Success ? null : DeliveryRules.AgentError(body.StatusCode, body.Error);
            if (!await ledger.RecordAsync(delivery.Id, delivery.SubscriptionId, delivery.EventType, agentId, transition, error, now, cancellationToken))
            {
                throw ApiException.Forbidden("delivery_not_acquired_by_agent", "The delivery is not acquired by this agent");
            }

            return transition.Status == DeliveryStatus.Success
                ? new Dictionary<string, object?> { ["status"] = transition.Status, ["delivery_id"] = delivery.Id }
                : new Dictionary<string, object?>
                {
                    ["status"] = transition.Status,
                    ["delivery_id"] = delivery.Id,
                    ["attempts"] = transition.Attempts,
                    ["next_retry_at"] = transition.NextRetryAt,
                };
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/webhook-deliveries/{id}/result", async (Guid id, Caller caller, Json<DeliveryResultRequest> body, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Command(caller, id, body.Value), ct)))
                .WithTags("webhooks")
                .WithName("report_delivery_result")
                .WithSummary("Report the outcome of an agent's delivery")
                .WithDescription("Agent only (403 `agent_pak_required`); 404 `delivery_not_found`; 403 `delivery_not_acquired_by_agent` unless this agent holds the delivery's claim. Success ends the delivery; a 4xx `status_code` other than 408, 425 and 429 makes it `dead` at once; otherwise the attempt counts against `max_retries` and the delivery is retried after 2^attempts seconds or goes `dead`. Answers `{status: \"success\", delivery_id}` or `{status, delivery_id, attempts, next_retry_at}`.");
    }
}
