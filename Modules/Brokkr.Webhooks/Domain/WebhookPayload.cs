using System.Buffers;
using System.Text;
using System.Text.Json;
using Brokkr.Shared.Json;

namespace Brokkr.Webhooks.Domain;

/// <summary>
/// The delivery body (behaviour §7, details §1.4): compact <c>{"id","event_type","timestamp","data"}</c>
/// with the keys of <c>data</c> in alphabetical order and values written with the broker's JSON rules.
/// </summary>
internal static class WebhookPayload
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = BrokkrJson.Options.Encoder, Indented = false };

    public static string Build(Guid id, string eventType, DateTime timestamp, IReadOnlyDictionary<string, object?> data)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id.ToString("D"));
            writer.WriteString("event_type", eventType);
            writer.WriteString("timestamp", UtcTimestampConverter.Format(timestamp));
            writer.WritePropertyName("data");
            writer.WriteStartObject();
            foreach (var (key, value) in data.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WritePropertyName(key);
                JsonSerializer.Serialize(writer, value, value?.GetType() ?? typeof(object), BrokkrJson.Options);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The value a filter compares with: the field as a string (a UUID as lower-case hyphenated text);
    /// null when the event does not carry the field or carries JSON null, which no filter matches.
    /// </summary>
    public static string? FilterValue(IReadOnlyDictionary<string, object?> data, string key)
    {
        if (!data.TryGetValue(key, out var value) || value is null)
        {
            return null;
        }

        return value switch
        {
            Guid id => id.ToString("D"),
            string text => text,
            _ => JsonSerializer.SerializeToElement(value, value.GetType(), BrokkrJson.Options) switch
            {
                { ValueKind: JsonValueKind.String } element => element.GetString(),
                { ValueKind: JsonValueKind.Null } => null,
                var element => element.GetRawText(),
            },
        };
    }
}
