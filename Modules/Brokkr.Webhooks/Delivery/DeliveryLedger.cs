using Brokkr.Contracts.Audit;
using Brokkr.Shared.Data;
using Brokkr.Webhooks.Data;
using Brokkr.Webhooks.Domain;
using LinqToDB;
using LinqToDB.Data;
using Mediator;

namespace Brokkr.Webhooks.Delivery;

/// <summary>
/// Writes an attempt's outcome onto the delivery that was claimed for it, and only while that claim
/// still holds (same claimant, still <c>acquired</c>). A delivery that goes <c>dead</c> is audited as
/// <c>webhook.delivery_failed</c> by the system; the caller decides the transaction.
/// </summary>
internal sealed class DeliveryLedger(BrokkrDb db, IPublisher publisher)
{
    private const string RecordSql = """
        UPDATE webhook_deliveries
        SET status = @status,
            attempts = @attempts,
            last_attempt_at = @now,
            next_retry_at = @next_retry_at,
            last_error = COALESCE(@error, last_error),
            acquired_until = NULL,
            acquired_by = CASE WHEN @status = 'failed' THEN NULL ELSE acquired_by END,
            completed_at = CASE WHEN @status IN ('success', 'dead') THEN @now ELSE NULL END
        WHERE id = @id AND status = 'acquired' AND acquired_by IS NOT DISTINCT FROM @claimant
        """;

    public async Task<bool> RecordAsync(
        Guid deliveryId, Guid subscriptionId, string eventType, Guid? claimant, Transition transition, string? error, DateTime now, CancellationToken cancellationToken)
    {
        var updated = await db.ExecuteAsync(RecordSql, cancellationToken,
            new DataParameter("id", deliveryId, DataType.Guid),
            new DataParameter("claimant", claimant, DataType.Guid),
            new DataParameter("status", transition.Status, DataType.Text),
            new DataParameter("attempts", transition.Attempts, DataType.Int32),
            new DataParameter("error", error, DataType.Text),
            transition.NextRetryAt is { } next ? DbClock.Parameter("next_retry_at", next) : new DataParameter("next_retry_at", null, DataType.DateTimeOffset),
            DbClock.Parameter("now", now));
        if (updated == 1)
        {
            WebhookMetrics.Attempted(eventType, transition.Status);
            if (transition.Status == DeliveryStatus.Dead)
            {
                await publisher.Publish(new AuditEntry("system", null, "webhook.delivery_failed", "webhook_subscription", subscriptionId,
                    new Dictionary<string, object?>
                    {
                        ["attempts"] = transition.Attempts,
                        ["delivery_id"] = deliveryId,
                        ["error"] = error,
                        ["event_type"] = eventType,
                    }), cancellationToken);
            }
        }

        return updated == 1;
    }
}
