using Brokkr.Contracts.Webhooks;
using Brokkr.Shared.Data;
using Brokkr.Webhooks.Domain;
using Mediator;

namespace Brokkr.Webhooks.Handlers;

/// <summary>The deliveries of a batch of events with one statement, in the publisher's transaction (<see cref="WebhookOutbox"/>).</summary>
internal sealed class EnqueueWebhookDeliveryBatch(BrokkrDb db, SubscriptionIndex index, TimeProvider time) : INotificationHandler<WebhookEvents>
{
    public ValueTask Handle(WebhookEvents notification, CancellationToken cancellationToken)
        => WebhookOutbox.EnqueueAsync(db, index, time, notification.Events, cancellationToken);
}
