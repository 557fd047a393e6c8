using LinqToDB;
using LinqToDB.Mapping;

namespace Brokkr.Webhooks.Data;

[Table("webhook_subscriptions")]
internal sealed class SubscriptionRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("name")] public string Name { get; set; } = string.Empty;
    [Column("url_encrypted")] public byte[] UrlEncrypted { get; set; } = [];
    [Column("auth_header_encrypted")] public byte[]? AuthHeaderEncrypted { get; set; }
    [Column("signing_secret_encrypted")] public byte[]? SigningSecretEncrypted { get; set; }
    [Column("event_types")] public string[] EventTypes { get; set; } = [];
    [Column("filters", DataType = DataType.BinaryJson)] public string? Filters { get; set; }
    [Column("target_labels")] public string[]? TargetLabels { get; set; }
    [Column("enabled")] public bool Enabled { get; set; } = true;
    [Column("max_retries")] public int MaxRetries { get; set; }
    [Column("timeout_seconds")] public int TimeoutSeconds { get; set; }
    [Column("created_at")] public DateTime CreatedAt { get; set; }
    [Column("updated_at")] public DateTime UpdatedAt { get; set; }
    [Column("created_by")] public string? CreatedBy { get; set; }
}

[Table("webhook_deliveries")]
internal sealed class DeliveryRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("subscription_id")] public Guid SubscriptionId { get; set; }
    [Column("event_type")] public string EventType { get; set; } = string.Empty;
    [Column("event_id")] public Guid EventId { get; set; }
    [Column("payload")] public string Payload { get; set; } = string.Empty;
    [Column("target_labels")] public string[]? TargetLabels { get; set; }
    [Column("status")] public string Status { get; set; } = DeliveryStatus.Pending;
    [Column("acquired_by")] public Guid? AcquiredBy { get; set; }
    [Column("acquired_until")] public DateTime? AcquiredUntil { get; set; }
    [Column("attempts")] public int Attempts { get; set; }
    [Column("last_attempt_at")] public DateTime? LastAttemptAt { get; set; }
    [Column("next_retry_at")] public DateTime? NextRetryAt { get; set; }
    [Column("last_error")] public string? LastError { get; set; }
    [Column("created_at")] public DateTime CreatedAt { get; set; }
    [Column("completed_at")] public DateTime? CompletedAt { get; set; }
}

/// <summary>A delivery claimed for sending, with what its subscription says about how to send it.</summary>
internal sealed class ClaimedDeliveryRow
{
    [Column("id")] public Guid Id { get; set; }
    [Column("subscription_id")] public Guid SubscriptionId { get; set; }
    [Column("event_type")] public string EventType { get; set; } = string.Empty;
    [Column("payload")] public string Payload { get; set; } = string.Empty;
    [Column("attempts")] public int Attempts { get; set; }
    [Column("url_encrypted")] public byte[] UrlEncrypted { get; set; } = [];
    [Column("auth_header_encrypted")] public byte[]? AuthHeaderEncrypted { get; set; }
    [Column("signing_secret_encrypted")] public byte[]? SigningSecretEncrypted { get; set; }
    [Column("max_retries")] public int MaxRetries { get; set; }
    [Column("timeout_seconds")] public int TimeoutSeconds { get; set; }
    [Column("created_at")] public DateTime CreatedAt { get; set; }
}

/// <summary>Read-only views over the Agents module's tables (migration 1000): live agents and their labels.</summary>
[Table("webhook_live_agents", IsView = true)]
internal sealed class LiveAgentView
{
    [Column("id")] public Guid Id { get; set; }
}

internal static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Acquired = "acquired";
    public const string Success = "success";
    public const string Failed = "failed";
    public const string Dead = "dead";

    public static readonly IReadOnlyList<string> All = [Pending, Acquired, Success, Failed, Dead];
}
