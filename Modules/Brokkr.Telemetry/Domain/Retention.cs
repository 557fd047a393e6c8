using System.Globalization;
using Brokkr.Shared.Http;
using Brokkr.Shared.Json;
using Brokkr.Telemetry.Api;

namespace Brokkr.Telemetry.Domain;

/// <summary>
/// The telemetry window (behaviour §11): rows live 6 hours from their ingestion; reads are clamped
/// to that window and to 1..5000 rows (default 500).
/// </summary>
internal static class Retention
{
    public const long CeilingSeconds = 21600;
    public const int DefaultLimit = 500;
    public const int MaxLimit = 5000;
    public const string SinkHint = "Brokkr retains telemetry for at most 6 hours. For long-term log centralisation, ship to Datadog or equivalent.";

    public static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(CeilingSeconds);

    public static RetentionInfo Info(DateTime? oldestReturned) => new(CeilingSeconds, CeilingSeconds, oldestReturned, SinkHint);

    /// <summary>The earliest <c>created_at</c> to read: <c>since</c>, but never before the window.</summary>
    public static DateTime ClampSince(DateTime? since, DateTime now)
    {
        var windowStart = now - Ceiling;
        return since is { } value && value > windowStart ? value : windowStart;
    }

    public static int ClampLimit(long? limit) => (int)Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit);

    /// <summary><c>since</c> as RFC 3339 with an explicit offset, else 400 <c>invalid_query_parameter</c>.</summary>
    public static DateTime? ParseSince(string? text)
        => text is null ? null
            : UtcTimestampConverter.TryParse(text, out var value) ? value
            : throw QueryParameters.Invalid("since", "must be an RFC 3339 timestamp with an offset");

    /// <summary><c>limit</c> as a 64-bit integer (clamped later), else 400 <c>invalid_query_parameter</c>.</summary>
    public static long? ParseLimit(string? text)
        => text is null ? null
            : long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
            : throw QueryParameters.Invalid("limit", "must be an integer");
}
