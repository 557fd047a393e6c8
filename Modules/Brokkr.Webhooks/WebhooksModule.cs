using Brokkr.Shared.Configuration;
using Brokkr.Shared.Jobs;
using Brokkr.Webhooks.Delivery;
using Brokkr.Webhooks.Domain;
using Brokkr.Webhooks.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Brokkr.Webhooks;

/// <summary>
/// Webhooks: subscriptions with encrypted secrets, the transactional outbox fed by <c>WebhookEvent</c>,
/// delivery by the broker (signed when asked) or by agents, retries, and cleanup.
/// </summary>
public static class WebhooksModule
{
    public static IHostApplicationBuilder AddWebhooksModule(this IHostApplicationBuilder builder)
    {
        WebhookKeyring.ValidateConfigured(BrokkrSettings.From(builder.Configuration));

        builder.Services.AddSingleton<WebhookKeyring>();
        builder.Services.AddSingleton<SubscriptionIndex>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddScoped<DeliveryLedger>();
        builder.Services.AddHostedService<SubscriptionChangeListener>();
        builder.Services.AddHostedService<KeyringWarmup>();
        // The subscription's timeout_seconds (up to 300 s) governs each request, not the client's default 100 s.
        builder.Services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);

        builder.Services.AddSingleton(new ScheduledRequest(
            DeliverWebhooks.JobKey,
            "Webhooks: release expired claims, requeue failed deliveries that are due, then claim and send a batch of webhook_delivery_batch_size",
            settings => TimeSpan.FromSeconds(Math.Max(1, settings.Broker.WebhookDeliveryIntervalSeconds)),
            () => new DeliverWebhooks.Command()));
        builder.Services.AddSingleton(new ScheduledRequest(
            CleanupWebhookDeliveries.JobKey,
            "Webhooks: delete success and dead deliveries older than webhook_cleanup_retention_days",
            _ => TimeSpan.FromHours(1),
            () => new CleanupWebhookDeliveries.Command()));
        return builder;
    }

    /// <summary>Loads the key at startup so its fingerprint is logged early; a failure here is retried on first use.</summary>
    private sealed class KeyringWarmup(WebhookKeyring keyring, ILogger<WebhookKeyring> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            try
            {
                await keyring.CipherAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("Webhook encryption key not loaded yet: {Error}; it is loaded on first use", ex.Message);
            }
        }
    }
}
