using Brokkr.Webhooks.Api;
using Brokkr.Webhooks.Data;

namespace Brokkr.Webhooks.Domain;

internal static class Deliveries
{
    public static WebhookDelivery ToContract(DeliveryRow row) => new(
        row.Id, row.SubscriptionId, row.EventType, row.EventId, row.Payload, row.TargetLabels, row.Status,
        row.AcquiredBy, row.AcquiredUntil, row.Attempts, row.LastAttemptAt, row.NextRetryAt, row.LastError,
        row.CreatedAt, row.CompletedAt);
}
