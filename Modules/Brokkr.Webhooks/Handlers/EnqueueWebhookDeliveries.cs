using Brokkr.Contracts.Webhooks;
using Brokkr.Shared.Data;
using Brokkr.Webhooks.Domain;
using LinqToDB;
using LinqToDB.Data;
using Mediator;

namespace Brokkr.Webhooks.Handlers;

/// <summary>
/// The outbox (behaviour §7, with compatibility.md's fix): in the publisher's transaction, one
/// <c>pending</c> delivery per enabled subscription whose patterns and filters match, all with the same
/// event id and payload, in one statement. An event type no enabled subscription can match costs no
/// round trip at all (<see cref="SubscriptionIndex"/>). A failure here fails the change with it, so an
/// accepted change never loses its event.
/// </summary>
internal sealed class EnqueueWebhookDeliveries(BrokkrDb db, SubscriptionIndex index, TimeProvider time) : INotificationHandler<WebhookEvent>
{
    private const string InsertSql = """
        INSERT INTO webhook_deliveries (id, subscription_id, event_type, event_id, payload, target_labels, status, attempts, created_at)
        SELECT gen_random_uuid(), s.id, @event_type, @event_id, @payload, s.target_labels, 'pending', 0, @now
        FROM webhook_subscriptions s
        WHERE s.enabled
          AND EXISTS (
              SELECT 1 FROM unnest(s.event_types) AS p (pattern)
              WHERE p.pattern = '*'
                 OR p.pattern = @event_type
                 OR (right(p.pattern, 2) = '.*' AND starts_with(@event_type, left(p.pattern, -1))))
          AND (s.filters ->> 'agent_id' IS NULL OR s.filters ->> 'agent_id' = @agent_id)
          AND (s.filters ->> 'stack_id' IS NULL OR s.filters ->> 'stack_id' = @stack_id)
        """;

    public async ValueTask Handle(WebhookEvent notification, CancellationToken cancellationToken)
    {
        if (index.CertainlyUnsubscribed(notification.EventType))
        {
            return;
        }

        var now = DbClock.Now(time);
        var eventId = Guid.NewGuid();
        await db.ExecuteAsync(InsertSql, cancellationToken,
            new DataParameter("event_type", notification.EventType, DataType.Text),
            new DataParameter("event_id", eventId, DataType.Guid),
            new DataParameter("payload", WebhookPayload.Build(eventId, notification.EventType, now, notification.Data), DataType.Text),
            new DataParameter("agent_id", WebhookPayload.FilterValue(notification.Data, "agent_id"), DataType.Text),
            new DataParameter("stack_id", WebhookPayload.FilterValue(notification.Data, "stack_id"), DataType.Text),
            DbClock.Parameter("now", now));
    }
}
