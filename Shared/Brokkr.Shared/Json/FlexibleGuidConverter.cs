using System.Text.Json;
using System.Text.Json.Serialization;

namespace Brokkr.Shared.Json;

/// <summary>Reads the hyphenated, 32-hex, braced and urn:uuid forms in any case; writes lower-case hyphenated.</summary>
public sealed class FlexibleGuidConverter : JsonConverter<Guid>
{
    public override Guid Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && Uuid.TryParse(reader.GetString(), out var id))
        {
            return id;
        }

        throw new JsonException("Expected a UUID.");
    }

    public override void Write(Utf8JsonWriter writer, Guid value, JsonSerializerOptions options)
        => writer.WriteStringValue(value.ToString("D"));
}

public static class Uuid
{
    public static bool TryParse(string? text, out Guid id)
    {
        id = default;
        if (text is null)
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        if (span.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase))
        {
            span = span[9..];
        }

        return span.Length switch
        {
            36 => Guid.TryParseExact(span, "D", out id),
            32 => Guid.TryParseExact(span, "N", out id),
            38 => Guid.TryParseExact(span, "B", out id),
            _ => false,
        };
    }
}
