using System.Globalization;
using Brokkr.Shared.Configuration;

namespace Brokkr.Host.Configuration;

/// <summary>A setting a reload changed, as <c>POST /admin/config/reload</c> reports it.</summary>
public sealed record ConfigChangeInfo(string Key, string OldValue, string NewValue);

/// <summary>
/// The settings a reload applies to the running broker (behaviour §12.1, plus the CORS methods and
/// headers the reference leaves out). Each is read by its consumer on every use from the one
/// <see cref="BrokkrSettings"/> instance, so copying the new value into it is the whole of applying it.
/// Everything else needs a restart.
/// </summary>
internal static class DynamicSettings
{
    private sealed record Key(string Name, Func<BrokkrSettings, string> Read, Action<BrokkrSettings, BrokkrSettings> Copy);

    private static readonly Key[] Keys =
    [
        new("log.level", s => s.Log.Level, (to, from) => to.Log.Level = from.Log.Level),
        new("cors.allowed_origins", s => s.Cors.AllowedOrigins, (to, from) => to.Cors.AllowedOrigins = from.Cors.AllowedOrigins),
        new("cors.allowed_methods", s => s.Cors.AllowedMethods, (to, from) => to.Cors.AllowedMethods = from.Cors.AllowedMethods),
        new("cors.allowed_headers", s => s.Cors.AllowedHeaders, (to, from) => to.Cors.AllowedHeaders = from.Cors.AllowedHeaders),
        new("cors.max_age_seconds", s => Text(s.Cors.MaxAgeSeconds), (to, from) => to.Cors.MaxAgeSeconds = from.Cors.MaxAgeSeconds),
        new("broker.webhook_delivery_interval_seconds", s => Text(s.Broker.WebhookDeliveryIntervalSeconds), (to, from) => to.Broker.WebhookDeliveryIntervalSeconds = from.Broker.WebhookDeliveryIntervalSeconds),
        new("broker.webhook_delivery_batch_size", s => Text(s.Broker.WebhookDeliveryBatchSize), (to, from) => to.Broker.WebhookDeliveryBatchSize = from.Broker.WebhookDeliveryBatchSize),
        new("broker.webhook_cleanup_retention_days", s => Text(s.Broker.WebhookCleanupRetentionDays), (to, from) => to.Broker.WebhookCleanupRetentionDays = from.Broker.WebhookCleanupRetentionDays),
        new("broker.diagnostic_cleanup_interval_seconds", s => Text(s.Broker.DiagnosticCleanupIntervalSeconds), (to, from) => to.Broker.DiagnosticCleanupIntervalSeconds = from.Broker.DiagnosticCleanupIntervalSeconds),
        new("broker.diagnostic_max_age_hours", s => Text(s.Broker.DiagnosticMaxAgeHours), (to, from) => to.Broker.DiagnosticMaxAgeHours = from.Broker.DiagnosticMaxAgeHours),
    ];

    public static IReadOnlyList<string> Names { get; } = Keys.Select(k => k.Name).ToList();

    /// <summary>The dynamic settings whose value differs, in a fixed order.</summary>
    public static IReadOnlyList<ConfigChangeInfo> Diff(BrokkrSettings current, BrokkrSettings next)
        => Keys.Select(k => new ConfigChangeInfo(k.Name, k.Read(current), k.Read(next)))
            .Where(c => !string.Equals(c.OldValue, c.NewValue, StringComparison.Ordinal))
            .ToList();

    /// <summary>Copies the changed dynamic settings from <paramref name="next"/> into the live <paramref name="current"/>.</summary>
    public static void Apply(BrokkrSettings current, BrokkrSettings next, IReadOnlyList<ConfigChangeInfo> changes)
    {
        foreach (var key in Keys.Where(k => changes.Any(c => c.Key == k.Name)))
        {
            key.Copy(current, next);
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
