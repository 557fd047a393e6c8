using Brokkr.Contracts.Webhooks;
using Brokkr.Shared.Data;
using Brokkr.Webhooks.Domain;
using Mediator;

namespace Brokkr.Webhooks.Handlers;

/// <summary>
/// The deliveries of one event, or of a batch of events with one statement, in the publisher's
/// transaction (<see cref="WebhookOutbox"/>).
/// </summary>
internal sealed class EnqueueWebhookDeliveries(BrokkrDb db, SubscriptionIndex index, TimeProvider time)
    : INotificationHandler<WebhookEvent>, INotificationHandler<WebhookEvents>
{
    public ValueTask Handle(WebhookEvent notification, CancellationToken cancellationToken)
        => WebhookOutbox.EnqueueAsync(db, index, time, [notification], cancellationToken);

    public ValueTask Handle(WebhookEvents notification, CancellationToken cancellationToken)
        => WebhookOutbox.EnqueueAsync(db, index, time, notification.Events, cancellationToken);
}
