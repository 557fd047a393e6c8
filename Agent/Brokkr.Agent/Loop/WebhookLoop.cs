using Brokkr.Agent.Broker;
using Brokkr.Agent.Configuration;
using Brokkr.Agent.Webhooks;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.Loop;

/// <summary>
/// Every 10 s (or the polling interval when shorter) while ACTIVE (behaviour §7): fetch (and so claim)
/// the webhook deliveries meant for agents with this agent's labels, deliver each, and report each outcome.
/// </summary>
internal sealed class WebhookLoop(
    AgentOptions options,
    IBrokerClient broker,
    WebhookSender sender,
    AgentRuntime runtime,
    TimeProvider time,
    ILogger<WebhookLoop> logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    public Trigger Trigger { get; } = new(time);

    public Task RunAsync(Guid agentId, CancellationToken cancellationToken)
        => Trigger.RepeatAsync(options.PollingPeriod < Interval ? options.PollingPeriod : Interval, () => PassAsync(agentId, cancellationToken), cancellationToken);

    public async Task PassAsync(Guid agentId, CancellationToken cancellationToken)
    {
        if (!runtime.IsActive)
        {
            return;
        }

        try
        {
            var deliveries = await broker.GetPendingWebhooksAsync(agentId, cancellationToken);
            await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (delivery, ct) =>
            {
                var result = await sender.DeliverAsync(delivery, ct);
                try
                {
                    await broker.ReportWebhookResultAsync(delivery.Id, result, ct);
                    logger.LogInformation("Delivered webhook {DeliveryId} ({EventType}): {Outcome}", delivery.Id, delivery.EventType,
                        result.Success ? $"HTTP {result.StatusCode}" : result.Error);
                }
                catch (BrokerException e)
                {
                    // The claim lapses after 60 s and the broker offers the delivery again.
                    logger.LogWarning("Could not report webhook delivery {DeliveryId}: {Error}", delivery.Id, e.Message);
                }
            });
        }
        catch (BrokerException e)
        {
            logger.LogWarning("Could not fetch webhook deliveries: {Error}", e.Message);
        }
    }
}
