using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Scriban.Runtime;

namespace Brokkr.Templates.Domain.Tera;

/// <summary>
/// The values and operations of a rendering, with Tera's semantics, called by the translated script.
/// Values are null, bool, long, double, string, <see cref="List{T}"/> (arrays) and
/// <see cref="Dictionary{TKey,TValue}"/> (objects, in their JSON order); <see cref="Missing"/> marks an
/// absent variable for <c>default</c> and <c>is defined</c>. Every string built here is bounded by
/// the output limit, so a doubling loop fails fast instead of exhausting memory.
/// </summary>
internal sealed class TeraRuntime
{
    public const int MaxRangeItems = 100_000;

    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
    private static readonly JsonWriterOptions Pretty = Compact with { Indented = true };

    private readonly Dictionary<string, object?> _context;
    private readonly int _maxChars;

    private TeraRuntime(Dictionary<string, object?> context, int maxChars) => (_context, _maxChars) = (context, maxChars);

    /// <summary>The absence of a variable, key or index, seen only by <c>default</c> and <c>is defined</c>.</summary>
    internal sealed class Missing
    {
        public static readonly Missing Value = new();
    }

    /// <summary>The script's functions over a context made of the parameters' top-level keys (none unless an object).</summary>
    public static ScriptObject Functions(JsonElement parameters, int maxChars)
    {
        var context = parameters.ValueKind == JsonValueKind.Object ? (Dictionary<string, object?>)FromJson(parameters)! : [];
        var runtime = new TeraRuntime(context, maxChars);
        var functions = new ScriptObject();
        runtime.Import(functions);
        return functions;
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

    private void Import(ScriptObject functions)
    {
        functions.Import("__p", new Func<string, object?>(name => _context.TryGetValue(name, out var value) ? value : throw Fail($"Variable `{name}` not found in the parameters")));
        functions.Import("__ps", new Func<string, object?>(name => _context.TryGetValue(name, out var value) ? value : Missing.Value));
        functions.Import("__m", new Func<object?, string, string, object?>((target, key, path) => Member(Normalize(target), key) is var found && found is Missing
            ? throw Fail($"Variable `{path}` not found")
            : found));
        functions.Import("__sm", new Func<object?, string, object?>((target, key) => Member(Normalize(target), key)));
        functions.Import("__i", new Func<object?, object?, object?>((target, index) => Index(Normalize(target), Normalize(index)) is var found && found is Missing
            ? throw Fail($"Index `{Render(Normalize(index))}` not found in {TypeName(Normalize(target))}")
            : found));
        functions.Import("__si", new Func<object?, object?, object?>((target, index) => Index(Normalize(target), Normalize(index))));
        functions.Import("__num", new Func<object?, object?>(value => value is string text ? ParseNumber(text) : Normalize(value)));
        functions.Import("__arr", new Func<object?, object?>(Normalize));
        functions.Import("__t", new Func<object?, bool>(value => Truthy(Normalize(value))));
        functions.Import("__out", new Func<object?, string>(value => Guard(Render(Normalize(value)))));
        functions.Import("__defined", new Func<object?, bool>(value => value is not Missing));
        functions.Import("__is_string", new Func<object?, bool>(value => Normalize(value) is string));
        functions.Import("__is_number", new Func<object?, bool>(value => Normalize(value) is long or double));
        functions.Import("__is_object", new Func<object?, bool>(value => Normalize(value) is Dictionary<string, object?>));
        functions.Import("__is_iterable", new Func<object?, bool>(value => Normalize(value) is List<object?> or Dictionary<string, object?>));
        functions.Import("__is_odd", new Func<object?, bool>(value => Integer(Normalize(value), "odd") % 2 != 0));
        functions.Import("__is_even", new Func<object?, bool>(value => Integer(Normalize(value), "even") % 2 == 0));
        functions.Import("__eq", new Func<object?, object?, bool>((a, b) => ValueEquals(Normalize(a), Normalize(b))));
        functions.Import("__ne", new Func<object?, object?, bool>((a, b) => !ValueEquals(Normalize(a), Normalize(b))));
        functions.Import("__lt", new Func<object?, object?, bool>((a, b) => Compare(a, b, "<") < 0));
        functions.Import("__le", new Func<object?, object?, bool>((a, b) => Compare(a, b, "<=") <= 0));
        functions.Import("__gt", new Func<object?, object?, bool>((a, b) => Compare(a, b, ">") > 0));
        functions.Import("__ge", new Func<object?, object?, bool>((a, b) => Compare(a, b, ">=") >= 0));
        functions.Import("__in", new Func<object?, object?, bool>((a, b) => In(Normalize(a), Normalize(b))));
        functions.Import("__cat", new Func<object?, object?, string>((a, b) => Guard(Render(Normalize(a)) + Render(Normalize(b)))));
        functions.Import("__add", new Func<object?, object?, object?>((a, b) => Arithmetic(a, b, "+")));
        functions.Import("__sub", new Func<object?, object?, object?>((a, b) => Arithmetic(a, b, "-")));
        functions.Import("__mul", new Func<object?, object?, object?>((a, b) => Arithmetic(a, b, "*")));
        functions.Import("__div", new Func<object?, object?, object?>((a, b) => Arithmetic(a, b, "/")));
        functions.Import("__mod", new Func<object?, object?, object?>((a, b) => Arithmetic(a, b, "%")));
        functions.Import("__neg", new Func<object?, object?>(a => Normalize(a) switch
        {
            long l when l != long.MinValue => (object)(-l),
            long l => -(double)l,
            double d => -d,
            var other => throw Fail($"Cannot negate {TypeName(other)}"),
        }));
        functions.Import("__iter", new Func<object?, object?>(value => Normalize(value) switch
        {
            List<object?> list => list,
            Dictionary<string, object?> => throw Fail("Iterating an object needs `for key, value in ...`"),
            var other => throw Fail($"Cannot iterate over {TypeName(other)}"),
        }));
        functions.Import("__pairs", new Func<object?, object?>(value => Normalize(value) is Dictionary<string, object?> map
            ? map.Select(pair => (object?)new List<object?> { pair.Key, pair.Value }).ToList()
            : throw Fail($"`for key, value in ...` needs an object, not {TypeName(Normalize(value))}")));
        functions.Import("__range", new Func<object?, object?, object?, object?>(Range));
        functions.Import("__throw", new Func<object?, object?>(message => throw Fail(Render(Normalize(message)))));
        ImportFilters(functions);
    }

    private void ImportFilters(ScriptObject functions)
    {
        functions.Import("__f_default", new Func<object?, object?, object?>((value, fallback) => value is Missing ? Normalize(fallback) : value));
        functions.Import("__f_upper", new Func<object?, string>(value => Text(value, "upper").ToUpperInvariant()));
        functions.Import("__f_lower", new Func<object?, string>(value => Text(value, "lower").ToLowerInvariant()));
        functions.Import("__f_capitalize", new Func<object?, string>(value => Text(value, "capitalize") is { Length: > 0 } text
            ? char.ToUpperInvariant(text[0]) + text[1..].ToLowerInvariant()
            : string.Empty));
        functions.Import("__f_trim", new Func<object?, string>(value => Text(value, "trim").Trim()));
        functions.Import("__f_trim_start", new Func<object?, string>(value => Text(value, "trim_start").TrimStart()));
        functions.Import("__f_trim_end", new Func<object?, string>(value => Text(value, "trim_end").TrimEnd()));
        functions.Import("__f_replace", new Func<object?, object?, object?, string>((value, from, to) => Replace(Text(value, "replace"), Text(from, "replace"), Text(to, "replace"))));
        functions.Import("__f_json_encode", new Func<object?, object?, string>((value, pretty) => Guard(Json(Normalize(value), Truthy(Normalize(pretty))))));
        functions.Import("__f_length", new Func<object?, long>(value => Normalize(value) switch
        {
            string text => text.EnumerateRunes().LongCount(),
            List<object?> list => list.Count,
            Dictionary<string, object?> map => map.Count,
            var other => throw Fail($"Filter `length` was called on {TypeName(other)}"),
        }));
        functions.Import("__f_join", new Func<object?, object?, string>((value, separator) => Normalize(value) is List<object?> list
            ? Guard(string.Join(Text(separator, "join"), list.Select(Render)))
            : throw Fail($"Filter `join` was called on {TypeName(Normalize(value))}")));
        functions.Import("__f_first", new Func<object?, object?>(value => Normalize(value) is List<object?> list
            ? list.Count > 0 ? list[0] : string.Empty
            : throw Fail($"Filter `first` was called on {TypeName(Normalize(value))}")));
        functions.Import("__f_last", new Func<object?, object?>(value => Normalize(value) is List<object?> list
            ? list.Count > 0 ? list[^1] : string.Empty
            : throw Fail($"Filter `last` was called on {TypeName(Normalize(value))}")));
        functions.Import("__f_reverse", new Func<object?, object?>(value => Normalize(value) switch
        {
            List<object?> list => Enumerable.Reverse(list).ToList(),
            string text => string.Concat(text.EnumerateRunes().Reverse().Select(r => r.ToString())),
            var other => throw Fail($"Filter `reverse` was called on {TypeName(other)}"),
        }));
        functions.Import("__f_as_str", new Func<object?, string>(value => Render(Normalize(value))));
        functions.Import("__f_int", new Func<object?, object?, object?>((value, fallback) => Normalize(value) switch
        {
            long l => l,
            double d when double.IsFinite(d) && Math.Abs(d) < 9.2e18 => (long)d,
            string s when long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => Normalize(fallback),
        }));
        functions.Import("__f_float", new Func<object?, object?, object?>((value, fallback) => Normalize(value) switch
        {
            long l => (double)l,
            double d => d,
            string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => Normalize(fallback),
        }));
        functions.Import("__f_indent", new Func<object?, object?, object?, object?, string>((value, prefix, first, blank) =>
            Indent(Text(value, "indent"), Text(prefix, "indent"), Truthy(Normalize(first)), Truthy(Normalize(blank)))));
        functions.Import("__f_safe", new Func<object?, object?>(Normalize));
    }

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

    private static string Json(object? value, bool pretty)
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

    private static object? Member(object? target, string key) => target switch
    {
        Dictionary<string, object?> map => map.TryGetValue(key, out var value) ? value : Missing.Value,
        _ => Missing.Value,
    };

    private static object? Index(object? target, object? index) => (target, index) switch
    {
        (List<object?> list, long i) when i >= 0 && i < list.Count => list[(int)i],
        (List<object?> list, double d) when d >= 0 && d < list.Count && d == Math.Floor(d) => list[(int)d],
        (Dictionary<string, object?> map, string key) => map.TryGetValue(key, out var value) ? value : Missing.Value,
        (Dictionary<string, object?> map, long i) => map.TryGetValue(i.ToString(CultureInfo.InvariantCulture), out var value) ? value : Missing.Value,
        _ => Missing.Value,
    };

    private static object? ParseNumber(string text)
        => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var integer)
            ? (object)integer
            : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static bool ValueEquals(object? a, object? b) => (a, b) switch
    {
        (long x, long y) => x == y,
        (long or double, long or double) => Convert.ToDouble(a, CultureInfo.InvariantCulture) == Convert.ToDouble(b, CultureInfo.InvariantCulture),
        (List<object?> x, List<object?> y) => x.Count == y.Count && x.Zip(y).All(p => ValueEquals(p.First, p.Second)),
        (Dictionary<string, object?> x, Dictionary<string, object?> y)
            => x.Count == y.Count && x.All(p => y.TryGetValue(p.Key, out var other) && ValueEquals(p.Value, other)),
        (null or Missing, null or Missing) => true,
        _ => Equals(a, b),
    };

    private static int Compare(object? left, object? right, string op) => (Normalize(left), Normalize(right)) switch
    {
        (long x, long y) => x.CompareTo(y),
        (long or double, long or double) => Convert.ToDouble(Normalize(left), CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(Normalize(right), CultureInfo.InvariantCulture)),
        (string x, string y) => string.CompareOrdinal(x, y),
        var (x, y) => throw Fail($"`{op}` cannot compare {TypeName(x)} with {TypeName(y)}"),
    };

    private static bool In(object? needle, object? haystack) => haystack switch
    {
        string text when needle is string part => text.Contains(part, StringComparison.Ordinal),
        List<object?> list => list.Any(item => ValueEquals(item, needle)),
        Dictionary<string, object?> map when needle is string key => map.ContainsKey(key),
        _ => throw Fail($"`in` cannot look for {TypeName(needle)} in {TypeName(haystack)}"),
    };

    private static object? Arithmetic(object? left, object? right, string op)
    {
        var (a, b) = (Normalize(left), Normalize(right));
        if (a is long x && b is long y)
        {
            try
            {
                // Each arm is boxed on its own: a switch of long and double arms would make every result a double.
                return op switch
                {
                    "+" => (object)checked(x + y),
                    "-" => checked(x - y),
                    "*" => checked(x * y),
                    "/" when y == 0 => throw Fail("Division by zero"),
                    "/" => x % y == 0 ? (object)(x / y) : (double)x / y,
                    _ when y == 0 => throw Fail("Modulo by zero"),
                    _ => x % y,
                };
            }
            catch (OverflowException)
            {
                return Arithmetic((double)x, (double)y, op);
            }
        }

        if (a is not (long or double) || b is not (long or double))
        {
            throw Fail($"`{op}` needs two numbers, not {TypeName(a)} and {TypeName(b)}");
        }

        var (p, q) = (Convert.ToDouble(a, CultureInfo.InvariantCulture), Convert.ToDouble(b, CultureInfo.InvariantCulture));
        if (op is "/" or "%" && q == 0)
        {
            throw Fail(op == "/" ? "Division by zero" : "Modulo by zero");
        }

        return op switch { "+" => p + q, "-" => p - q, "*" => p * q, "/" => p / q, _ => p % q };
    }

    private static long Integer(object? value, string test) => value is long l ? l : throw Fail($"Test `{test}` needs an integer, not {TypeName(value)}");

    private static object? Range(object? start, object? end, object? step)
    {
        var (from, to, by) = (Integer(Normalize(start), "range"), Integer(Normalize(end), "range"), Integer(Normalize(step), "range"));
        if (by <= 0)
        {
            throw Fail("`range` needs a positive step_by");
        }

        var count = to <= from ? 0 : ((to - from - 1) / by) + 1;
        if (count > MaxRangeItems)
        {
            throw Fail($"`range` would produce more than {MaxRangeItems} numbers");
        }

        var items = new List<object?>((int)count);
        for (var i = 0L; i < count; i++)
        {
            items.Add(from + (i * by));
        }

        return items;
    }

    private string Replace(string text, string from, string to)
    {
        if (from.Length > 0)
        {
            var occurrences = 0L;
            for (var i = text.IndexOf(from, StringComparison.Ordinal); i >= 0; i = text.IndexOf(from, i + from.Length, StringComparison.Ordinal))
            {
                occurrences++;
            }

            Guard(text.Length + (occurrences * (to.Length - from.Length)));
            return text.Replace(from, to, StringComparison.Ordinal);
        }

        // Rust's str::replace with an empty pattern inserts the replacement around every character.
        Guard(text.Length + ((text.Length + 1L) * to.Length));
        var builder = new StringBuilder(to);
        foreach (var rune in text.EnumerateRunes())
        {
            builder.Append(rune.ToString()).Append(to);
        }

        return builder.ToString();
    }

    private string Indent(string text, string prefix, bool first, bool blank)
    {
        var lines = text.Split('\n');
        Guard(text.Length + ((long)lines.Length * prefix.Length));
        var builder = new StringBuilder(text.Length + (lines.Length * prefix.Length));
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                builder.Append('\n');
            }

            if ((i > 0 || first) && (blank || lines[i].Trim().Length > 0))
            {
                builder.Append(prefix);
            }

            builder.Append(lines[i]);
        }

        return builder.ToString();
    }

    private string Guard(string text)
    {
        Guard(text.Length);
        return text;
    }

    private void Guard(long length)
    {
        if (length > _maxChars)
        {
            throw Fail($"A value exceeds the output limit of {_maxChars} characters");
        }
    }

    private static string Text(object? value, string filter) => Normalize(value) switch
    {
        string s => s,
        var other => throw Fail($"Filter `{filter}` expects a string, not {TypeName(other)}"),
    };

    private static string TypeName(object? value) => value switch
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

    private static TemplateRenderException Fail(string message) => new(message);
}
