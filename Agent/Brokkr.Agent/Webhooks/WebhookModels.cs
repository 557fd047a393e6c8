namespace Brokkr.Agent.Webhooks;

/// <summary>
/// The reference's <c>PendingWebhookDelivery</c>: a delivery this agent claimed, URL and auth header decrypted;
/// plus our broker's <c>signature_headers</c> (<c>X-Brokkr-Timestamp</c>, <c>X-Brokkr-Signature</c>) when the
/// subscription signs, so the agent never holds the signing secret.
/// </summary>
internal sealed record PendingWebhookDelivery(
    Guid Id,
    Guid SubscriptionId,
    string EventType,
    string Payload,
    string Url,
    string? AuthHeader,
    int TimeoutSeconds,
    int MaxRetries,
    int Attempts,
    IReadOnlyDictionary<string, string>? SignatureHeaders = null);

/// <summary>The reference's <c>DeliveryResultRequest</c>: the body of <c>POST /webhook-deliveries/{id}/result</c>.</summary>
internal sealed record DeliveryResultRequest(bool Success, int? StatusCode, string? Error, long? DurationMs);
