using Brokkr.Contracts.Webhooks;
using Brokkr.Webhooks.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace Brokkr.Webhooks.Tests;

/// <summary>
/// The outbox (behaviour §7 with compatibility.md's fix): which subscriptions get a delivery for an
/// event, written in the transaction of the change, or not at all when it rolls back.
/// </summary>
public sealed class OutboxTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private const string Url = "https://x.test/hook";

    private Task<long> DeliveriesOf(Guid subscription)
        => api.CountAsync("SELECT count(*) FROM webhook_deliveries WHERE subscription_id = @id", ("id", subscription));

    [Fact]
    public async Task Every_matching_subscription_gets_the_same_event_once_with_its_target_labels()
    {
        var family = Hooks.UniqueType("fam");
        var type = family + ".created";
        var exact = await api.SubscribeAsync(Url, [type]);
        var prefix = await api.SubscribeAsync(Url, [family + ".*"], new { target_labels = new[] { "a", "b" } });
        var twice = await api.SubscribeAsync(Url, [type, family + ".*"]);
        var other = await api.SubscribeAsync(Url, [family + ".deleted", family + "x.*"]);

        await api.PublishAsync(type, new Dictionary<string, object?> { ["k"] = "v" });

        var deliveries = new[] { exact, prefix, twice }.Select(async s => (await api.DeliveriesAsync(s)).ShouldHaveSingleItem()!).Select(t => t.Result).ToList();
        deliveries.Select(d => d.Str("event_id")).Distinct().Count().ShouldBe(1);
        deliveries.Select(d => d.Str("payload")).Distinct().Count().ShouldBe(1);
        deliveries.ShouldAllBe(d => d.Str("event_type") == type && d.Str("status") == "pending" && d["attempts"]!.GetValue<int>() == 0);
        deliveries[1]["target_labels"]!.ToJsonString().ShouldBe("""["a","b"]""");
        deliveries[0]["target_labels"].ShouldBeNull();
        (await DeliveriesOf(other)).ShouldBe(0);
        JsonNode.Parse(deliveries[0].Str("payload"))!.Str("id").ShouldBe(deliveries[0].Str("event_id"));
    }

    [Fact]
    public async Task A_star_subscription_hears_everything_and_a_disabled_one_nothing()
    {
        var star = await api.SubscribeAsync(Url, ["*"]);
        var disabled = await api.SubscribeAsync(Url, ["*"]);
        (await api.Admin().PutJsonAsync($"/api/v1/webhooks/{disabled}", """{"enabled":false}""")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await api.PublishAsync(Hooks.UniqueType(), new Dictionary<string, object?>());

        (await DeliveriesOf(star)).ShouldBe(1);
        (await DeliveriesOf(disabled)).ShouldBe(0);
        await api.Admin().DeleteAsync($"/api/v1/webhooks/{star}");
        await api.Admin().DeleteAsync($"/api/v1/webhooks/{disabled}");
    }

    [Fact]
    public async Task Filters_must_equal_the_event_data_and_an_event_without_the_field_matches_no_filter()
    {
        var type = Hooks.UniqueType();
        var agent = Guid.NewGuid();
        var stack = Guid.NewGuid();
        var byAgent = await api.SubscribeAsync(Url, [type], new { filters = new { agent_id = agent } });
        var byStack = await api.SubscribeAsync(Url, [type], new { filters = new { stack_id = stack } });
        var byBoth = await api.SubscribeAsync(Url, [type], new { filters = new { agent_id = agent, stack_id = stack } });
        var empty = await api.SubscribeAsync(Url, [type], new { filters = new { } });

        await api.PublishAsync(type, new Dictionary<string, object?> { ["agent_id"] = agent, ["stack_id"] = null });
        await api.PublishAsync(type, new Dictionary<string, object?> { ["agent_id"] = Guid.NewGuid(), ["stack_id"] = stack });
        await api.PublishAsync(type, new Dictionary<string, object?> { ["agent_id"] = agent, ["stack_id"] = stack.ToString() });
        await api.PublishAsync(type, new Dictionary<string, object?>());

        (await DeliveriesOf(byAgent)).ShouldBe(2);
        (await DeliveriesOf(byStack)).ShouldBe(2);
        (await DeliveriesOf(byBoth)).ShouldBe(1);
        (await DeliveriesOf(empty)).ShouldBe(4);
    }

    [Fact]
    public async Task A_rolled_back_change_leaves_no_delivery()
    {
        var type = Hooks.UniqueType();
        var id = await api.SubscribeAsync(Url, [type]);

        await api.PublishAsync(commit: false, new WebhookEvent(type, new Dictionary<string, object?>()));

        (await DeliveriesOf(id)).ShouldBe(0);
    }

    [Fact]
    public async Task A_new_subscription_hears_the_next_event_at_once_and_unsubscribed_types_write_nothing()
    {
        var index = api.Services.GetRequiredService<SubscriptionIndex>();
        var type = Hooks.UniqueType();
        for (var i = 0; i < 50 && !index.IsLoaded; i++)
        {
            await Task.Delay(100);
        }

        index.IsLoaded.ShouldBeTrue();
        index.CertainlyUnsubscribed(type).ShouldBeTrue();
        await api.PublishAsync(type, new Dictionary<string, object?>());
        (await api.CountAsync("SELECT count(*) FROM webhook_deliveries WHERE event_type = @t", ("t", type))).ShouldBe(0);

        var id = await api.SubscribeAsync(Url, [type]);
        await api.PublishAsync(type, new Dictionary<string, object?>());
        (await DeliveriesOf(id)).ShouldBe(1);

        // The change's notification reloads the index, which then knows the new subscription.
        for (var i = 0; i < 50 && !index.IsLoaded; i++)
        {
            await Task.Delay(100);
        }

        index.CertainlyUnsubscribed(type).ShouldBeFalse();
        index.CertainlyUnsubscribed(Hooks.UniqueType()).ShouldBeTrue();
    }

    [Fact]
    public async Task A_change_by_another_broker_on_the_same_database_reaches_this_index()
    {
        var index = api.Services.GetRequiredService<SubscriptionIndex>();
        var type = Hooks.UniqueType();
        await using var other = new SameDatabaseFactory(api.ConnectionString);
        for (var i = 0; i < 50 && !index.IsLoaded; i++)
        {
            await Task.Delay(100);
        }

        index.CertainlyUnsubscribed(type).ShouldBeTrue();
        (await other.Admin().PostJsonAsync("/api/v1/webhooks", new { name = "elsewhere", url = Url, event_types = new[] { type } })).StatusCode.ShouldBe(HttpStatusCode.Created);

        for (var i = 0; i < 50 && index.CertainlyUnsubscribed(type); i++)
        {
            await Task.Delay(100);
        }

        index.CertainlyUnsubscribed(type).ShouldBeFalse();
        await api.PublishAsync(type, new Dictionary<string, object?>());
        (await api.CountAsync("SELECT count(*) FROM webhook_deliveries WHERE event_type = @t", ("t", type))).ShouldBe(1);
    }
}
