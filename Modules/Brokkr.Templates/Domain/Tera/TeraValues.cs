using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Scriban.Runtime;

namespace Brokkr.Templates.Domain.Tera;

/// <summary>
/// The values of a rendering: null, bool, long, double, string, <see cref="List{T}"/> (arrays) and
/// <see cref="Dictionary{TKey,TValue}"/> (objects, in their JSON order); <see cref="Missing"/> marks an
/// absent variable for <c>default</c> and <c>is defined</c>. How they come from JSON and from Scriban,
/// how truthy they are and how they print.
/// </summary>
internal static class TeraValues
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
    private static readonly JsonWriterOptions Pretty = Compact with { Indented = true };

    /// <summary>The absence of a variable, key or index, seen only by <c>default</c> and <c>is defined</c>.</summary>
    internal sealed class Missing
    {
        public static readonly Missing Value = new();
    }

    public static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Aggregate(new Dictionary<string, object?>(StringComparer.Ordinal), (map, p) =>
        {
            map[p.Name] = FromJson(p.Value);
            return map;
        }),
        JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var integer) ? integer : element.TryGetDouble(out var real) && double.IsFinite(real) ? (object)real : element.GetRawText(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    public static object? Normalize(object? value) => value switch
    {
        null or string or long or double or bool or Missing or List<object?> or Dictionary<string, object?> => value,
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        uint u => (long)u,
        ulong u when u <= long.MaxValue => (long)u,
        float f => (double)f,
        decimal d => (double)d,
        BigInteger big => (double)big,
        ScriptArray array => array.Select(Normalize).ToList(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    public static bool Truthy(object? value) => value switch
    {
        null or Missing => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        List<object?> list => list.Count > 0,
        Dictionary<string, object?> map => map.Count > 0,
        _ => true,
    };

    /// <summary>How a value prints: strings as they are, scalars as Tera prints them, arrays and objects as JSON.</summary>
    public static string Render(object? value) => value switch
    {
        null or Missing => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FormatDouble(d),
        _ => Json(value, pretty: false),
    };

    private static string FormatDouble(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture).Replace("E+", "e", StringComparison.Ordinal).Replace("E-", "e-", StringComparison.Ordinal);
        return double.IsFinite(value) && !text.Contains('.', StringComparison.Ordinal) && !text.Contains('e', StringComparison.Ordinal) ? text + ".0" : text;
    }

    public static string Json(object? value, bool pretty)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, pretty ? Pretty : Compact))
        {
            WriteJson(writer, value, 0);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteJson(Utf8JsonWriter writer, object? value, int depth)
    {
        switch (value)
        {
            case null or Missing:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d when double.IsFinite(d):
                writer.WriteRawValue(FormatDouble(d), skipInputValidation: true);
                break;
            case double:
                writer.WriteNullValue();
                break;
            case List<object?> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteJson(writer, item, depth + 1);
                }

                writer.WriteEndArray();
                break;
            case Dictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    writer.WritePropertyName(key);
                    WriteJson(writer, item, depth + 1);
                }

                writer.WriteEndObject();
                break;
            default:
                writer.WriteStringValue(Render(value));
                break;
        }
    }

    public static string TypeName(object? value) => value switch
    {
        null => "null",
        Missing => "an undefined value",
        bool => "a boolean",
        long or double => "a number",
        string => "a string",
        List<object?> => "an array",
        Dictionary<string, object?> => "an object",
        _ => value.GetType().Name,
    };
}
