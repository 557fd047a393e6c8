using Brokkr.Contracts.Webhooks;
using Brokkr.Shared.Data;
using Brokkr.Webhooks.Domain;
using LinqToDB.Data;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Brokkr.Webhooks.Tests;

/// <summary>
/// <see cref="WebhookEvents"/> (a batch of events, one statement): exactly the deliveries the single
/// <see cref="WebhookEvent"/> path writes for the same events, in the publisher's transaction.
/// </summary>
public sealed class BatchOutboxTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private const string Url = "https://x.test/hook";

    // One line per delivery, without what differs between two runs of the same events (ids, timestamps).
    private const string DeliveriesSql = """
        SELECT coalesce(string_agg(line, E'\n' ORDER BY line), '') FROM (
            SELECT subscription_id || ' ' || event_type || ' ' || coalesce(target_labels::text, 'null') || ' ' || status || ' ' || attempts
                   || ' ' || (payload::jsonb - 'id' - 'timestamp')::text || ' ' || (payload::jsonb ->> 'event_type') AS line
            FROM webhook_deliveries) d
        """;

    [Fact]
    public async Task A_batch_writes_exactly_the_deliveries_of_its_events_published_one_by_one()
    {
        var family = Hooks.UniqueType("fam");
        var applied = family + ".applied";
        var failed = family + ".failed";
        var agent = Guid.NewGuid();
        var stack = Guid.NewGuid();
        var prefix = await api.SubscribeAsync(Url, [family + ".*"], new { target_labels = new[] { "a", "b" } });
        var exact = await api.SubscribeAsync(Url, [applied]);
        var star = await api.SubscribeAsync(Url, ["*"]);
        var byAgent = await api.SubscribeAsync(Url, [family + ".*"], new { filters = new { agent_id = agent } });
        var byStack = await api.SubscribeAsync(Url, ["*"], new { filters = new { stack_id = stack } });
        var disabled = await api.SubscribeAsync(Url, ["*"]);
        (await api.Admin().PutJsonAsync($"/api/v1/webhooks/{disabled}", """{"enabled":false}""")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var at = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        WebhookEvent[] events =
        [
            new(applied, new Dictionary<string, object?> { ["n"] = 0, ["agent_id"] = agent, ["stack_id"] = stack, ["created_at"] = at, ["message"] = "é \"q\" <b>" }),
            new(failed, new Dictionary<string, object?> { ["n"] = 1, ["agent_id"] = Guid.NewGuid(), ["stack_id"] = null }),
            new(applied, new Dictionary<string, object?> { ["n"] = 2, ["agent_id"] = agent.ToString(), ["stack_id"] = stack.ToString() }),
            new(Hooks.UniqueType("other"), new Dictionary<string, object?> { ["n"] = 3 }),
            new(failed, new Dictionary<string, object?> { ["n"] = 4, ["agent_id"] = agent }),
            new(applied, new Dictionary<string, object?> { ["n"] = 5 }),
        ];

        await api.PublishAsync(commit: true, events);
        var single = await api.ScalarAsync<string>(DeliveriesSql);
        await api.ExecuteAsync("DELETE FROM webhook_deliveries");

        await api.PublishBatchAsync(commit: true, events);
        var batch = await api.ScalarAsync<string>(DeliveriesSql);

        batch.ShouldBe(single);
        (await DeliveriesOf(prefix)).ShouldBe(5);
        (await DeliveriesOf(exact)).ShouldBe(3);
        (await DeliveriesOf(star)).ShouldBe(6);
        (await DeliveriesOf(byAgent)).ShouldBe(3);
        (await DeliveriesOf(byStack)).ShouldBe(2);
        (await DeliveriesOf(disabled)).ShouldBe(0);

        // Every event has its own id, shared by its deliveries and written into its payload.
        (await api.CountAsync("SELECT count(DISTINCT event_id) FROM webhook_deliveries")).ShouldBe(6);
        (await api.CountAsync("SELECT count(DISTINCT (event_id, payload)) FROM webhook_deliveries")).ShouldBe(6);
        (await api.CountAsync("SELECT count(*) FROM webhook_deliveries WHERE payload::jsonb ->> 'id' <> event_id::text OR payload::jsonb ->> 'event_type' <> event_type")).ShouldBe(0);
        (await api.CountAsync("SELECT count(DISTINCT created_at) FROM webhook_deliveries")).ShouldBe(1);
        var first = (await api.DeliveriesAsync(exact)).Single(d => d!.Str("payload").Contains("\"n\":0", StringComparison.Ordinal))!.Str("payload");
        first.ShouldStartWith($$"""{"id":"{{first[7..43]}}","event_type":"{{applied}}","timestamp":""");
        var data = JsonNode.Parse(first)!["data"]!.AsObject();
        data.Select(p => p.Key).ShouldBe(["agent_id", "created_at", "message", "n", "stack_id"]);
        data.Str("created_at").ShouldBe("2026-01-02T03:04:05Z");
        data.Str("message").ShouldBe("é \"q\" <b>");
        await api.ExecuteAsync("DELETE FROM webhook_deliveries");
        foreach (var id in new[] { prefix, exact, star, byAgent, byStack, disabled })
        {
            await api.Admin().DeleteAsync($"/api/v1/webhooks/{id}");
        }
    }

    [Fact]
    public async Task A_rolled_back_batch_leaves_no_delivery()
    {
        var type = Hooks.UniqueType();
        var id = await api.SubscribeAsync(Url, [type]);

        await api.PublishBatchAsync(commit: false, new WebhookEvent(type, new Dictionary<string, object?>()), new WebhookEvent(type, new Dictionary<string, object?>()));

        (await DeliveriesOf(id)).ShouldBe(0);
        await api.PublishBatchAsync(commit: true, new WebhookEvent(type, new Dictionary<string, object?>()), new WebhookEvent(type, new Dictionary<string, object?>()));
        (await DeliveriesOf(id)).ShouldBe(2);
    }

    [Fact]
    public async Task A_batch_nobody_subscribes_to_sends_no_statement()
    {
        var index = api.Services.GetRequiredService<SubscriptionIndex>();
        for (var i = 0; i < 50 && !index.IsLoaded; i++)
        {
            await Task.Delay(100);
        }

        index.IsLoaded.ShouldBeTrue();
        var events = new[] { new WebhookEvent(Hooks.UniqueType(), new Dictionary<string, object?>()), new WebhookEvent(Hooks.UniqueType(), new Dictionary<string, object?>()) };

        // In a transaction PostgreSQL already aborted, any statement would fail: publishing must not send one.
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BrokkrDb>();
        await using var transaction = await db.BeginTransactionAsync();
        await Should.ThrowAsync<PostgresException>(() => db.ExecuteAsync("SELECT 1/0"));
        await scope.ServiceProvider.GetRequiredService<IPublisher>().Publish(new WebhookEvents(events));
        await Should.ThrowAsync<PostgresException>(() => db.ExecuteAsync("SELECT 1"));
    }

    private Task<long> DeliveriesOf(Guid subscription)
        => api.CountAsync("SELECT count(*) FROM webhook_deliveries WHERE subscription_id = @id", ("id", subscription));
}
