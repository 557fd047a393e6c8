using Prometheus;

namespace Brokkr.Webhooks.Delivery;

/// <summary>The webhook series on <c>/metrics</c>.</summary>
internal static class WebhookMetrics
{
    private static readonly Counter Deliveries = Metrics.CreateCounter(
        "brokkr_webhook_deliveries_total", "Webhook delivery attempts by event type and outcome (success, failed, dead)", ["event_type", "outcome"]);

    private static readonly Histogram Duration = Metrics.CreateHistogram(
        "brokkr_webhook_delivery_duration_seconds", "Duration of webhook POSTs sent by the broker, in seconds", new HistogramConfiguration
        {
            Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
        });

    private static readonly Counter DecryptFailures = Metrics.CreateCounter(
        "brokkr_webhook_decrypt_failures_total", "Subscription secrets that could not be decrypted, by field (url, auth_header, signing_secret) and path (broker, agent)", ["field", "path"]);

    public static void Attempted(string eventType, string outcome) => Deliveries.WithLabels(eventType, outcome).Inc();

    public static void Took(TimeSpan duration) => Duration.Observe(duration.TotalSeconds);

    public static void DecryptFailed(string field, string path) => DecryptFailures.WithLabels(field, path).Inc();

    public static double DecryptFailureCount(string field, string path) => DecryptFailures.WithLabels(field, path).Value;
}
