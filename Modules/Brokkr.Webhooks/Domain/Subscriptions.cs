using System.Text.Json;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Json;
using Brokkr.Shared.Text;
using Brokkr.Webhooks.Api;
using Brokkr.Webhooks.Data;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;

namespace Brokkr.Webhooks.Domain;

/// <summary>Reading, checking and announcing subscriptions: what the use cases on them share.</summary>
internal static class Subscriptions
{
    public const int MaxNameLength = 255;
    public const int DefaultMaxRetries = 5;
    public const int DefaultTimeoutSeconds = 30;

    public static async Task<SubscriptionRow> FindAsync(BrokkrDb db, Guid id, CancellationToken cancellationToken)
        => await db.GetTable<SubscriptionRow>().FirstOrDefaultAsync(s => s.Id == id, cancellationToken)
            ?? throw ApiException.NotFound("webhook_not_found", "Webhook subscription not found");

    public static async Task EnsureExistsAsync(BrokkrDb db, Guid id, CancellationToken cancellationToken)
    {
        if (!await db.GetTable<SubscriptionRow>().AnyAsync(s => s.Id == id, cancellationToken))
        {
            throw ApiException.NotFound("webhook_not_found", "Webhook subscription not found");
        }
    }

    public static WebhookResponse ToResponse(this SubscriptionRow row) => new(
        row.Id,
        row.Name,
        HasUrl: row.UrlEncrypted.Length > 0,
        HasAuthHeader: row.AuthHeaderEncrypted is not null,
        HasSigningSecret: row.SigningSecretEncrypted is not null,
        row.EventTypes,
        ReadFilters(row.Filters),
        row.TargetLabels,
        row.Enabled,
        row.MaxRetries,
        row.TimeoutSeconds,
        row.CreatedAt,
        row.UpdatedAt,
        row.CreatedBy);

    /// <summary>Tolerant, as the reference reads stored filters: keys it does not know are not echoed.</summary>
    public static WebhookFilters? ReadFilters(string? stored)
    {
        if (stored is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(stored);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return new WebhookFilters(Field(document.RootElement, "agent_id"), Field(document.RootElement, "stack_id"));
        }
        catch (JsonException)
        {
            return null;
        }

        static Guid? Field(JsonElement filters, string name)
            => filters.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && Uuid.TryParse(value.GetString(), out var id) ? id : null;
    }

    public static string WriteFilters(WebhookFilters filters) => JsonSerializer.Serialize(filters, BrokkrJson.Options);

    /// <summary>
    /// Keys the reference once accepted and ignored, refused on the raw body (details §4.5) so that a caller
    /// who believes they took effect hears otherwise; a key counts even with a null value.
    /// </summary>
    public static void RejectRemovedFields(JsonElement body, bool create)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (create && body.TryGetProperty("validate", out _))
        {
            throw Unsupported("validate", "POST /webhooks/{id}/test", "'validate' is not supported; send a test delivery with POST /webhooks/{id}/test");
        }

        if (body.TryGetProperty("filters", out var filters) && filters.ValueKind == JsonValueKind.Object && filters.TryGetProperty("labels", out _))
        {
            throw Unsupported("filters.labels", "target_labels", "'filters.labels' is not supported; route deliveries to agents with 'target_labels'");
        }
    }

    /// <summary>The typed body; any shape error is 422 <c>invalid_request_body</c>.</summary>
    public static T Parse<T>(JsonElement body)
        where T : class
    {
        T? value;
        try
        {
            value = body.Deserialize<T>(BrokkrJson.Options);
        }
        catch (JsonException ex)
        {
            var where = string.IsNullOrEmpty(ex.Path) ? string.Empty : $" at '{ex.Path}'";
            throw InvalidBody($"The request body has the wrong shape{where}");
        }

        return value ?? throw InvalidBody("The request body must be a JSON object");
    }

    /// <summary>Lists of strings: a null item is a shape error, as it is for the reference.</summary>
    public static void RequireStrings(IReadOnlyList<string>? items, string field)
    {
        if (items is not null && items.Any(i => i is null))
        {
            throw InvalidBody($"The request body has the wrong shape at '$.{field}': items must be strings");
        }
    }

    /// <summary>The reference's ranges (422): <c>max_retries</c> 0..10, <c>timeout_seconds</c> 1..300.</summary>
    public static void CheckRanges(int? maxRetries, int? timeoutSeconds)
    {
        if (maxRetries is < 0 or > 10)
        {
            throw ApiException.Unprocessable("invalid_webhook", "max_retries must be between 0 and 10");
        }

        if (timeoutSeconds is < 1 or > 300)
        {
            throw ApiException.Unprocessable("invalid_webhook", "timeout_seconds must be between 1 and 300");
        }
    }

    /// <summary>What PostgreSQL could not store would otherwise be a 5xx; refused as 400 <c>invalid_webhook</c>.</summary>
    public static void CheckStorable(string? name, IReadOnlyList<string>? eventTypes, IReadOnlyList<string>? targetLabels)
    {
        if (name is not null && !WireText.Fits(name, MaxNameLength))
        {
            throw Invalid($"name must be at most {MaxNameLength} characters, without NUL characters");
        }

        if (eventTypes is not null && !eventTypes.All(WireText.IsStorable))
        {
            throw Invalid("event_types must not contain NUL characters");
        }

        if (targetLabels is not null && !targetLabels.All(WireText.IsStorable))
        {
            throw Invalid("target_labels must not contain NUL characters");
        }
    }

    public static ApiException Invalid(string message) => ApiException.BadRequest("invalid_webhook", message);

    /// <summary>
    /// Every broker's <see cref="SubscriptionIndex"/> forgets what it knew: this one at once, the others
    /// (and this one again) when the change commits and its notification arrives.
    /// </summary>
    public static async Task AnnounceChangeAsync(BrokkrDb db, SubscriptionIndex index, CancellationToken cancellationToken)
    {
        index.Invalidate();
        await db.ExecuteAsync("SELECT pg_notify(@channel, '')", cancellationToken,
            new DataParameter("channel", SubscriptionChangeListener.Channel, DataType.Text));
    }

    private static ApiException InvalidBody(string message) => ApiException.Unprocessable("invalid_request_body", message);

    private static ApiException Unsupported(string field, string useInstead, string message)
        => ApiException.Unprocessable("unsupported_field", message, new Dictionary<string, object?> { ["field"] = field, ["use_instead"] = useInstead });
}
