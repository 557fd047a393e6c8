using Brokkr.Contracts.Webhooks;
using Brokkr.Shared.Data;
using Brokkr.Webhooks.Features;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Brokkr.Webhooks.Tests.Support;

public static class Hooks
{
    public static readonly string[] ResponseKeys =
    [
        "id", "name", "has_url", "has_auth_header", "has_signing_secret", "event_types", "filters", "target_labels",
        "enabled", "max_retries", "timeout_seconds", "created_at", "updated_at", "created_by",
    ];

    public static readonly string[] DeliveryKeys =
    [
        "id", "subscription_id", "event_type", "event_id", "payload", "target_labels", "status", "acquired_by", "acquired_until",
        "attempts", "last_attempt_at", "next_retry_at", "last_error", "created_at", "completed_at",
    ];

    /// <summary>An event type no other test uses, so a test's subscriptions hear only its own events.</summary>
    public static string UniqueType(string prefix = "test") => $"{prefix}.{Guid.NewGuid():N}";

    public static async Task<JsonNode> CreateWebhookAsync(this BrokkrApiFactory api, object body)
        => await (await api.Admin().PostJsonAsync("/api/v1/webhooks", body)).JsonAsync(HttpStatusCode.Created);

    /// <summary>A subscription for <paramref name="eventTypes"/> to <paramref name="url"/> with no retries unless said.</summary>
    public static async Task<Guid> SubscribeAsync(this BrokkrApiFactory api, string url, string[] eventTypes, object? extra = null)
    {
        var body = new JsonObject
        {
            ["name"] = Scenario.Unique("hook"),
            ["url"] = url,
            ["event_types"] = new JsonArray(eventTypes.Select(e => (JsonNode)JsonValue.Create(e)!).ToArray()),
        };
        if (extra is not null)
        {
            foreach (var (key, value) in JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(extra))!.AsObject())
            {
                body[key] = value?.DeepClone();
            }
        }

        return (await api.CreateWebhookAsync(body.ToJsonString())).Id();
    }

    /// <summary>Publishes events in a transaction of their own, as a command's handler does, then commits or rolls back.</summary>
    public static Task PublishAsync(this BrokkrApiFactory api, bool commit, params WebhookEvent[] events)
        => api.InTransactionAsync(commit, async publisher =>
        {
            foreach (var e in events)
            {
                await publisher.Publish(e);
            }
        });

    /// <summary>Publishes <paramref name="events"/> as one <see cref="WebhookEvents"/> in a transaction of its own.</summary>
    public static Task PublishBatchAsync(this BrokkrApiFactory api, bool commit, params WebhookEvent[] events)
        => api.InTransactionAsync(commit, async publisher => await publisher.Publish(new WebhookEvents(events)));

    private static async Task InTransactionAsync(this BrokkrApiFactory api, bool commit, Func<IPublisher, Task> publish)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BrokkrDb>();
        await using var transaction = await db.BeginTransactionAsync();
        await publish(scope.ServiceProvider.GetRequiredService<IPublisher>());
        if (commit)
        {
            await transaction.CommitAsync();
        }
        else
        {
            await transaction.RollbackAsync();
        }
    }

    public static Task PublishAsync(this BrokkrApiFactory api, string eventType, IReadOnlyDictionary<string, object?> data)
        => api.PublishAsync(commit: true, new WebhookEvent(eventType, data));

    public static Task<DeliverWebhooks.Outcome> DeliverAsync(this BrokkrApiFactory api) => api.SendAsync(new DeliverWebhooks.Command());

    public static async Task<JsonArray> DeliveriesAsync(this BrokkrApiFactory api, Guid subscriptionId, string query = "")
        => await (await api.Admin().GetAsync($"/api/v1/webhooks/{subscriptionId}/deliveries{query}")).ArrayAsync();

    public static async Task<JsonNode> SingleDeliveryAsync(this BrokkrApiFactory api, Guid subscriptionId)
        => (await api.DeliveriesAsync(subscriptionId)).ShouldHaveSingleItem()!;

    public static Task<long> CountAsync(this BrokkrApiFactory api, string sql, params (string, object?)[] parameters)
        => api.ScalarAsync<long>(sql, parameters);
}
