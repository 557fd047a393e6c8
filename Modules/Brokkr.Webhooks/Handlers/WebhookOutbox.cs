using Brokkr.Contracts.Webhooks;
using Brokkr.Shared.Data;
using Brokkr.Webhooks.Domain;
using LinqToDB.Data;

namespace Brokkr.Webhooks.Handlers;

/// <summary>
/// The outbox (behaviour §7, with compatibility.md's fix): in the publisher's transaction, one
/// <c>pending</c> delivery per event and enabled subscription whose patterns and filters match; an event's
/// deliveries share its event id and payload. One statement for any number of events; an event whose type
/// no enabled subscription can match is left out, and a call left with none costs no round trip at all
/// (<see cref="SubscriptionIndex"/>). A failure here fails the change with it, so an accepted change never
/// loses its event.
/// </summary>
internal static class WebhookOutbox
{
    private const string InsertSql = """
        INSERT INTO webhook_deliveries (id, subscription_id, event_type, event_id, payload, target_labels, status, attempts, created_at)
        SELECT gen_random_uuid(), s.id, e.event_type, e.event_id, e.payload, s.target_labels, 'pending', 0, @now
        FROM unnest(@event_types::text[], @event_ids::uuid[], @payloads::text[], @agent_ids::text[], @stack_ids::text[])
            AS e (event_type, event_id, payload, agent_id, stack_id)
        JOIN webhook_subscriptions s ON s.enabled
          AND EXISTS (
              SELECT 1 FROM unnest(s.event_types) AS p (pattern)
              WHERE p.pattern = '*'
                 OR p.pattern = e.event_type
                 OR (right(p.pattern, 2) = '.*' AND starts_with(e.event_type, left(p.pattern, -1))))
          AND (s.filters ->> 'agent_id' IS NULL OR s.filters ->> 'agent_id' = e.agent_id)
          AND (s.filters ->> 'stack_id' IS NULL OR s.filters ->> 'stack_id' = e.stack_id)
        """;

    public static async ValueTask EnqueueAsync(BrokkrDb db, SubscriptionIndex index, TimeProvider time, IReadOnlyList<WebhookEvent> events, CancellationToken cancellationToken)
    {
        var wanted = events.Where(e => !index.CertainlyUnsubscribed(e.EventType)).ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        var now = DbClock.Now(time);
        var types = new string[wanted.Count];
        var ids = new Guid[wanted.Count];
        var payloads = new string[wanted.Count];
        var agents = new string?[wanted.Count];
        var stacks = new string?[wanted.Count];
        for (var i = 0; i < wanted.Count; i++)
        {
            var e = wanted[i];
            types[i] = e.EventType;
            ids[i] = Guid.NewGuid();
            payloads[i] = WebhookPayload.Build(ids[i], e.EventType, now, e.Data);
            agents[i] = WebhookPayload.FilterValue(e.Data, "agent_id");
            stacks[i] = WebhookPayload.FilterValue(e.Data, "stack_id");
        }

        await db.ExecuteAsync(InsertSql, cancellationToken,
            new DataParameter("event_types", types),
            new DataParameter("event_ids", ids),
            new DataParameter("payloads", payloads),
            new DataParameter("agent_ids", agents),
            new DataParameter("stack_ids", stacks),
            DbClock.Parameter("now", now));
    }
}
