using Brokkr.Shared.Configuration;
using Brokkr.Webhooks.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Brokkr.Webhooks.Tests;

/// <summary>The cleanup job (behaviour §7, §12): finished deliveries older than the retention go; open ones stay.</summary>
public sealed class CleanupTests(ClockedApiFactory api) : IClassFixture<ClockedApiFactory>
{
    [Fact]
    public async Task Success_and_dead_deliveries_older_than_the_retention_are_deleted_and_the_rest_stay()
    {
        var type = Hooks.UniqueType();
        var id = await api.SubscribeAsync("https://x.test/hook", [type]);
        foreach (var _ in Enumerable.Range(0, 5))
        {
            await api.PublishAsync(type, new Dictionary<string, object?>());
        }

        var ids = (await api.DeliveriesAsync(id)).Ids();
        await api.ExecuteAsync("UPDATE webhook_deliveries SET status = 'success' WHERE id = @id", ("id", ids[0]));
        await api.ExecuteAsync("UPDATE webhook_deliveries SET status = 'dead' WHERE id = @id", ("id", ids[1]));
        await api.ExecuteAsync("UPDATE webhook_deliveries SET status = 'failed', next_retry_at = @at WHERE id = @id", ("at", api.Now.AddYears(1)), ("id", ids[2]));
        await api.ExecuteAsync("UPDATE webhook_deliveries SET status = 'acquired', acquired_until = @at WHERE id = @id", ("at", api.Now.AddYears(1)), ("id", ids[3]));

        api.Clock.Advance(TimeSpan.FromDays(7));
        (await api.SendAsync(new CleanupWebhookDeliveries.Command())).Deleted.ShouldBe(0);

        api.Clock.Advance(TimeSpan.FromSeconds(1));
        (await api.SendAsync(new CleanupWebhookDeliveries.Command())).Deleted.ShouldBe(2);

        (await api.DeliveriesAsync(id)).Ids().Order().ShouldBe(ids.Skip(2).Order());
    }

    [Fact]
    public async Task The_retention_is_read_from_the_settings_on_every_run_and_large_backlogs_go_in_batches()
    {
        var type = Hooks.UniqueType();
        var id = await api.SubscribeAsync("https://x.test/hook", [type]);
        await api.ExecuteAsync("""
            INSERT INTO webhook_deliveries (subscription_id, event_type, event_id, payload, status, created_at)
            SELECT @id, 'x', gen_random_uuid(), '{}', 'success', @at FROM generate_series(1, 2500)
            """, ("id", id), ("at", api.Now.AddDays(-2)));
        var settings = api.Services.GetRequiredService<BrokkrSettings>();

        (await api.SendAsync(new CleanupWebhookDeliveries.Command())).Deleted.ShouldBe(0);
        settings.Broker.WebhookCleanupRetentionDays = 1;
        try
        {
            (await api.SendAsync(new CleanupWebhookDeliveries.Command())).Deleted.ShouldBe(2500);
        }
        finally
        {
            settings.Broker.WebhookCleanupRetentionDays = 7;
        }
    }
}
