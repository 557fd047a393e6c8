using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Brokkr.Shared.Json;

/// <summary>
/// RFC 3339 in UTC with a 'Z' and the shortest exact fraction of 0, 3, 6 or 9 digits, as the
/// reference writes it; input needs an explicit offset and is normalised to UTC.
/// </summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || !TryParse(reader.GetString(), out var value))
        {
            throw new JsonException("Expected an RFC 3339 timestamp with an explicit offset.");
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
        => writer.WriteStringValue(Format(value));

    public static bool TryParse(string? text, out DateTime value)
    {
        value = default;
        if (string.IsNullOrEmpty(text) || text.Length < 20)
        {
            return false;
        }

        var last = text[^1];
        var hasOffset = last is 'Z' or 'z' || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        if (!hasOffset || (text[10] != 'T' && text[10] != 't' && text[10] != ' '))
        {
            return false;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return false;
        }

        value = parsed.UtcDateTime;
        return true;
    }

    public static string Format(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
        var micros = (utc.Ticks % TimeSpan.TicksPerSecond) / 10;
        var basePart = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        if (micros == 0)
        {
            return basePart + "Z";
        }

        return micros % 1000 == 0
            ? $"{basePart}.{micros / 1000:D3}Z"
            : $"{basePart}.{micros:D6}Z";
    }
}
