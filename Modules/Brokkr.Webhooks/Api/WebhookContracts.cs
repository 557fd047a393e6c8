using System.Text.Json.Serialization;

namespace Brokkr.Webhooks.Api;

/// <summary>
/// The reference's <c>WebhookFilters</c>: each set field must equal the event's <c>data.&lt;field&gt;</c>.
/// Unset fields are left out of the JSON, so the object can be <c>{}</c> (details §1.1).
/// </summary>
public sealed record WebhookFilters(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? AgentId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? StackId = null);

/// <summary>
/// The reference's <c>WebhookResponse</c>. The URL, auth header and signing secret are never returned,
/// only whether they are set; <c>has_signing_secret</c> is an addition.
/// </summary>
public sealed record WebhookResponse(
    Guid Id,
    string Name,
    bool HasUrl,
    bool HasAuthHeader,
    bool HasSigningSecret,
    IReadOnlyList<string> EventTypes,
    WebhookFilters? Filters,
    IReadOnlyList<string>? TargetLabels,
    bool Enabled,
    int MaxRetries,
    int TimeoutSeconds,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string? CreatedBy);

/// <summary>
/// The body of <c>POST /webhooks</c>. <c>signing_secret</c> (an addition, write-only) makes every
/// delivery carry <c>X-Brokkr-Timestamp</c> and <c>X-Brokkr-Signature</c>.
/// </summary>
public sealed record CreateWebhookRequest(
    string Name,
    string Url,
    IReadOnlyList<string> EventTypes,
    string? AuthHeader = null,
    WebhookFilters? Filters = null,
    int? MaxRetries = null,
    int? TimeoutSeconds = null,
    IReadOnlyList<string>? TargetLabels = null,
    string? SigningSecret = null);

/// <summary>
/// The body of <c>PUT /webhooks/{id}</c>: every field optional, and a JSON <c>null</c> leaves the field
/// as it is (as in the reference). An empty <c>signing_secret</c> removes the secret.
/// </summary>
public sealed record UpdateWebhookRequest(
    string? Name = null,
    string? Url = null,
    string? AuthHeader = null,
    IReadOnlyList<string>? EventTypes = null,
    WebhookFilters? Filters = null,
    bool? Enabled = null,
    int? MaxRetries = null,
    int? TimeoutSeconds = null,
    IReadOnlyList<string>? TargetLabels = null,
    string? SigningSecret = null);

/// <summary>The reference's <c>WebhookDelivery</c>: one event for one subscription, and how sending it went.</summary>
public sealed record WebhookDelivery(
    Guid Id,
    Guid SubscriptionId,
    string EventType,
    Guid EventId,
    string Payload,
    IReadOnlyList<string>? TargetLabels,
    string Status,
    Guid? AcquiredBy,
    DateTime? AcquiredUntil,
    int Attempts,
    DateTime? LastAttemptAt,
    DateTime? NextRetryAt,
    string? LastError,
    DateTime CreatedAt,
    DateTime? CompletedAt);

/// <summary>
/// The reference's <c>PendingWebhookDelivery</c>: a delivery an agent claimed, with the decrypted URL and
/// auth header it needs to send it. <c>signature_headers</c> (an addition) holds the
/// <c>X-Brokkr-Timestamp</c> and <c>X-Brokkr-Signature</c> headers to send when the subscription
/// signs its deliveries, so the agent never sees the secret; null otherwise.
/// </summary>
public sealed record PendingWebhookDelivery(
    Guid Id,
    Guid SubscriptionId,
    string EventType,
    string Payload,
    string Url,
    string? AuthHeader,
    int TimeoutSeconds,
    int MaxRetries,
    int Attempts,
    IReadOnlyDictionary<string, string>? SignatureHeaders);

/// <summary>The body of <c>POST /webhook-deliveries/{id}/result</c>: what happened when the agent sent it.</summary>
public sealed record DeliveryResultRequest(bool Success, int? StatusCode = null, string? Error = null, long? DurationMs = null);

/// <summary>The answer of <c>POST /webhooks/{id}/test</c> when the endpoint accepted the test event.</summary>
public sealed record TestWebhookResponse(bool Success, int StatusCode, string Message);
