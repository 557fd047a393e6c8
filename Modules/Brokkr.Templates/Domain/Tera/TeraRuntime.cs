using System.Globalization;
using System.Text;
using System.Text.Json;
using Scriban.Runtime;
using static Brokkr.Templates.Domain.Tera.TeraOperations;
using static Brokkr.Templates.Domain.Tera.TeraValues;

namespace Brokkr.Templates.Domain.Tera;

/// <summary>
/// The functions of a rendering, with Tera's semantics, called by the translated script: parameter
/// lookups, operators and tests (<see cref="TeraOperations"/>) and filters over the values of
/// <see cref="TeraValues"/>. Every string built here is bounded by the output limit, so a doubling
/// loop fails fast instead of exhausting memory.
/// </summary>
internal sealed class TeraRuntime
{
    private readonly Dictionary<string, object?> _context;
    private readonly int _maxChars;

    private TeraRuntime(Dictionary<string, object?> context, int maxChars) => (_context, _maxChars) = (context, maxChars);

    /// <summary>The script's functions over a context made of the parameters' top-level keys (none unless an object).</summary>
    public static ScriptObject Functions(JsonElement parameters, int maxChars)
    {
        var context = parameters.ValueKind == JsonValueKind.Object ? (Dictionary<string, object?>)FromJson(parameters)! : [];
        var runtime = new TeraRuntime(context, maxChars);
        var functions = new ScriptObject();
        runtime.Import(functions);
        return functions;
    }

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

    private static TemplateRenderException Fail(string message) => new(message);
}
