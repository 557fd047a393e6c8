using Brokkr.Contracts.Webhooks;
using Brokkr.Shared.Data;
using Brokkr.Webhooks.Domain;
using Mediator;

namespace Brokkr.Webhooks.Handlers;

/// <summary>One event's deliveries, in the publisher's transaction (<see cref="WebhookOutbox"/>).</summary>
internal sealed class EnqueueWebhookDeliveries(BrokkrDb db, SubscriptionIndex index, TimeProvider time) : INotificationHandler<WebhookEvent>
{
    public ValueTask Handle(WebhookEvent notification, CancellationToken cancellationToken)
        => WebhookOutbox.EnqueueAsync(db, index, time, [notification], cancellationToken);
}
