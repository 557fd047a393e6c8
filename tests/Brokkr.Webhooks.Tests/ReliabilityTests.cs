using Brokkr.Contracts.Webhooks;
using Brokkr.Shared.Configuration;
using Brokkr.Shared.Data;
using Brokkr.Webhooks.Features;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Brokkr.Webhooks.Tests;

/// <summary>
/// What the outbox and SKIP LOCKED claims promise: concurrent delivery runs never send one delivery
/// twice, and an accepted change is delivered even when the broker stops before sending it.
/// </summary>
public sealed class ReliabilityTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    [Fact]
    public async Task Concurrent_delivery_runs_never_send_one_delivery_twice()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Delay = TimeSpan.FromMilliseconds(20);
        var type = Hooks.UniqueType();
        await api.SubscribeAsync(receiver.Url, [type]);
        const int events = 60;
        await api.PublishAsync(commit: true, Enumerable.Range(0, events).Select(i => new WebhookEvent(type, new Dictionary<string, object?> { ["n"] = i })).ToArray());
        var settings = api.Services.GetRequiredService<BrokkrSettings>();
        settings.Broker.WebhookDeliveryBatchSize = 7;
        try
        {
            for (var round = 0; round < 10 && receiver.Received.Count < events; round++)
            {
                var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => api.DeliverAsync())));
                runs.Sum(r => r.Claimed).ShouldBeLessThanOrEqualTo(events);
            }
        }
        finally
        {
            settings.Broker.WebhookDeliveryBatchSize = 50;
        }

        var received = await receiver.WaitForAsync(events);
        received.Count.ShouldBe(events);
        received.Select(r => r.Header("x-brokkr-delivery-id")).Distinct().Count().ShouldBe(events);
        (await api.CountAsync("SELECT count(*) FROM webhook_deliveries WHERE event_type = @t AND status = 'success' AND attempts = 1", ("t", type))).ShouldBe(events);
    }

    [Fact]
    public async Task An_event_committed_before_a_crash_is_delivered_by_the_next_broker()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var type = Hooks.UniqueType();
        string connectionString;
        await using (var first = new SameDatabaseFactory(api.ConnectionString))
        {
            connectionString = api.ConnectionString;
            (await first.Admin().PostJsonAsync("/api/v1/webhooks", new { name = "survivor", url = receiver.Url, event_types = new[] { type } }))
                .StatusCode.ShouldBe(HttpStatusCode.Created);
            await PublishThroughAsync(first, type);
        }

        receiver.Received.ShouldBeEmpty();
        await using var second = new SameDatabaseFactory(connectionString);
        await using var scope = second.Services.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        await sender.Send(new DeliverWebhooks.Command());

        var delivered = (await receiver.WaitForAsync(1)).ShouldHaveSingleItem();
        delivered.Json.Str("event_type").ShouldBe(type);
        delivered.Json["data"]!.Str("survived").ShouldBe("yes");
    }

    private static async Task PublishThroughAsync(SameDatabaseFactory broker, string type)
    {
        await using var scope = broker.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<BrokkrDb>();
        var publisher = services.GetRequiredService<IPublisher>();
        await using var transaction = await db.BeginTransactionAsync();
        await publisher.Publish(new WebhookEvent(type, new Dictionary<string, object?> { ["survived"] = "yes" }));
        await transaction.CommitAsync();
    }
}
