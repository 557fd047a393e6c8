using System.Security.Cryptography;
using System.Text;

namespace Brokkr.Webhooks.Domain;

/// <summary>
/// <c>X-Brokkr-Signature: sha256=&lt;hex HMAC-SHA256(secret, "&lt;timestamp&gt;.&lt;body&gt;")&gt;</c> with
/// <c>X-Brokkr-Timestamp: &lt;unix seconds&gt;</c>: the receiver recomputes it over the raw body and
/// refuses old timestamps, which stops forged and replayed deliveries.
/// </summary>
internal static class WebhookSignature
{
    public const string TimestampHeader = "X-Brokkr-Timestamp";
    public const string SignatureHeader = "X-Brokkr-Signature";
    public const string EventTypeHeader = "X-Brokkr-Event-Type";
    public const string DeliveryIdHeader = "X-Brokkr-Delivery-Id";

    public static string Sign(string secret, long timestamp, string body)
    {
        var message = Encoding.UTF8.GetBytes($"{timestamp}.{body}");
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
        return "sha256=" + Convert.ToHexStringLower(mac);
    }

    public static IReadOnlyDictionary<string, string> Headers(string secret, DateTimeOffset now, string body)
    {
        var timestamp = now.ToUnixTimeSeconds();
        return new Dictionary<string, string>
        {
            [TimestampHeader] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [SignatureHeader] = Sign(secret, timestamp, body),
        };
    }
}
