using System.Text;
using System.Text.Json;
using Brokkr.Shared.Text;

namespace Brokkr.Telemetry.Domain;

/// <summary>
/// Telemetry is stored as it comes, except what PostgreSQL cannot store: NUL characters and unpaired
/// surrogates in text (and <c>\u0000</c> in JSONB) become U+FFFD, so one odd log line cannot fail a batch.
/// </summary>
internal static class StorableText
{
    public static string Of(string text)
    {
        if (WireText.IsStorable(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else
            {
                builder.Append(c == '\0' || char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        return builder.ToString();
    }

    public static string? OfNullable(string? text) => text is null ? null : Of(text);

    /// <summary>Compact JSON whose strings (and property names) are storable; an absent value is JSON null.</summary>
    public static string Json(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Undefined)
        {
            return "null";
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, element);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(Of(property.Name));
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(Of(element.GetString()!));
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
