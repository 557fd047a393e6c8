using Microsoft.Extensions.Configuration;

namespace Brokkr.Shared.Configuration;

/// <summary>
/// The reference's settings (behaviour §13), bound from <c>BROKKR__SECTION__KEY</c> variables and
/// the optional <c>BROKKR_CONFIG_FILE</c>, with the reference's names and defaults.
/// </summary>
public sealed class BrokkrSettings
{
    public DatabaseSettings Database { get; set; } = new();
    public BrokerSettings Broker { get; set; } = new();
    public LogSettings Log { get; set; } = new();
    public CorsSettings Cors { get; set; } = new();
    public TelemetrySettings Telemetry { get; set; } = new();

    public static BrokkrSettings From(IConfiguration configuration)
    {
        var settings = new BrokkrSettings();
        configuration.Bind(settings);
        return settings;
    }
}

public sealed class DatabaseSettings
{
    public string Url { get; set; } = "postgres://brokkr:brokkr@localhost:5433/brokkr";
    public string? Schema { get; set; }
}

public sealed class BrokerSettings
{
    /// <summary>Lowercase hex SHA-256 of the admin PAK's long token. Unset: mint one on first start.</summary>
    [ConfigurationKeyName("pak_hash")]
    public string? PakHash { get; set; }

    [ConfigurationKeyName("auth_cache_ttl_seconds")]
    public int AuthCacheTtlSeconds { get; set; } = 60;

    /// <summary>Allows the reference's published development PAK. Off unless asked for.</summary>
    [ConfigurationKeyName("development_mode")]
    public bool DevelopmentMode { get; set; }

    /// <summary>Where a minted admin PAK is written (mode 0600).</summary>
    [ConfigurationKeyName("admin_pak_file")]
    public string AdminPakFile { get; set; } = ".brokkr/admin-pak";

    [ConfigurationKeyName("agent_events_retention_days")]
    public int AgentEventsRetentionDays { get; set; } = 30;

    [ConfigurationKeyName("audit_log_retention_days")]
    public int AuditLogRetentionDays { get; set; } = 90;

    [ConfigurationKeyName("diagnostic_cleanup_interval_seconds")]
    public int DiagnosticCleanupIntervalSeconds { get; set; } = 900;

    [ConfigurationKeyName("diagnostic_max_age_hours")]
    public int DiagnosticMaxAgeHours { get; set; } = 1;

    /// <summary>64 hex characters (AES-256). Unset: generated once and persisted in the database.</summary>
    [ConfigurationKeyName("webhook_encryption_key")]
    public string? WebhookEncryptionKey { get; set; }

    [ConfigurationKeyName("webhook_delivery_interval_seconds")]
    public int WebhookDeliveryIntervalSeconds { get; set; } = 5;

    [ConfigurationKeyName("webhook_delivery_batch_size")]
    public int WebhookDeliveryBatchSize { get; set; } = 50;

    [ConfigurationKeyName("webhook_cleanup_retention_days")]
    public int WebhookCleanupRetentionDays { get; set; } = 7;

    /// <summary>
    /// How long a stopping broker (SIGTERM, SIGINT) waits for in-flight requests, closing WebSockets and
    /// running jobs before it aborts them. Not in the reference, which stops at once.
    /// </summary>
    [ConfigurationKeyName("shutdown_timeout_seconds")]
    public int ShutdownTimeoutSeconds { get; set; } = 30;

    /// <summary>Not configurable in the reference (fixed 10 s); kept as a setting for tests and tuning.</summary>
    [ConfigurationKeyName("work_order_maintenance_interval_seconds")]
    public int WorkOrderMaintenanceIntervalSeconds { get; set; } = 10;

    /// <summary>
    /// How long a broker answers an agent's target-state poll from memory (ADR 0033). Changes drop
    /// entries at once, in every replica; the bound only covers what no change announces (deletion
    /// markers ageing out). 0 disables the cache. Not in the reference.
    /// </summary>
    [ConfigurationKeyName("target_state_cache_seconds")]
    public int TargetStateCacheSeconds { get; set; } = 60;

    /// <summary>Memory for cached deployment-object JSON, shared by all agents offered the same object.</summary>
    [ConfigurationKeyName("target_state_cache_megabytes")]
    public int TargetStateCacheMegabytes { get; set; } = 256;
}

public sealed class LogSettings
{
    public string Level { get; set; } = "info";
    public string Format { get; set; } = "json";
}

public sealed class CorsSettings
{
    [ConfigurationKeyName("allowed_origins")]
    public string AllowedOrigins { get; set; } = "http://localhost:3001";

    [ConfigurationKeyName("allowed_methods")]
    public string AllowedMethods { get; set; } = "GET,POST,PUT,DELETE,OPTIONS";

    [ConfigurationKeyName("allowed_headers")]
    public string AllowedHeaders { get; set; } = "Authorization,Content-Type";

    [ConfigurationKeyName("max_age_seconds")]
    public int MaxAgeSeconds { get; set; } = 3600;
}

public sealed class TelemetrySettings
{
    public bool Enabled { get; set; }

    [ConfigurationKeyName("otlp_endpoint")]
    public string OtlpEndpoint { get; set; } = "http://localhost:4317";

    [ConfigurationKeyName("service_name")]
    public string ServiceName { get; set; } = "brokkr-broker";

    [ConfigurationKeyName("sampling_rate")]
    public double SamplingRate { get; set; } = 0.1;
}
