namespace Brokkr.Templates.Domain.Tera;

/// <summary>An expression as script code; a bare variable path also keeps its parts for <c>default</c> and <c>is defined</c>.</summary>
internal sealed record ScriptValue(string Code, ScriptPath? Path = null, bool IsBoolean = false);

/// <summary>A variable path: its root name, the script name of a local root (null for a parameter), and its member and index steps.</summary>
internal sealed record ScriptPath(string Root, string? Local, IReadOnlyList<(string Kind, string Code)> Steps);

/// <summary>
/// Tera's filters and functions with their named arguments, translated to positional calls of
/// <see cref="TeraRuntime"/> functions at translation time: an unknown filter, an unknown or repeated
/// argument or a missing required one is a syntax error at create and update.
/// </summary>
internal static class TeraFilters
{
    private sealed record Parameter(string Name, string? Default);

    private sealed record Signature(string Function, params Parameter[] Parameters);

    private static readonly Dictionary<string, Signature> Filters = new(StringComparer.Ordinal)
    {
        ["upper"] = new("__f_upper"),
        ["lower"] = new("__f_lower"),
        ["capitalize"] = new("__f_capitalize"),
        ["trim"] = new("__f_trim"),
        ["trim_start"] = new("__f_trim_start"),
        ["trim_end"] = new("__f_trim_end"),
        ["replace"] = new("__f_replace", new Parameter("from", null), new Parameter("to", null)),
        ["json_encode"] = new("__f_json_encode", new Parameter("pretty", "false")),
        ["length"] = new("__f_length"),
        ["join"] = new("__f_join", new Parameter("sep", "\"\"")),
        ["first"] = new("__f_first"),
        ["last"] = new("__f_last"),
        ["reverse"] = new("__f_reverse"),
        ["as_str"] = new("__f_as_str"),
        ["int"] = new("__f_int", new Parameter("default", "__num(\"0\")")),
        ["float"] = new("__f_float", new Parameter("default", "__num(\"0.0\")")),
        ["indent"] = new("__f_indent", new Parameter("prefix", "\"    \""), new Parameter("first", "false"), new Parameter("blank", "false")),
        ["safe"] = new("__f_safe"),
    };

    private static readonly Dictionary<string, Signature> Functions = new(StringComparer.Ordinal)
    {
        ["range"] = new("__range", new Parameter("start", "__num(\"0\")"), new Parameter("end", null), new Parameter("step_by", "__num(\"1\")")),
        ["throw"] = new("__throw", new Parameter("message", null)),
    };

    public static IReadOnlyCollection<string> FilterNames => Filters.Keys;

    public static IReadOnlyCollection<string> FunctionNames => Functions.Keys;

    /// <summary>
    /// <c>value | name(args)</c>. <c>default</c> is special, as in Tera: it replaces a value only when
    /// the variable is absent, so it reads the path softly (<paramref name="softCode"/>).
    /// </summary>
    public static ScriptValue Apply(Token name, string code, string? softCode, Dictionary<string, (Token Name, string Code)> arguments)
    {
        if (name.Text == "default")
        {
            var value = Bind(name, new Signature("__f_default", new Parameter("value", null)), arguments)[0];
            return new ScriptValue(softCode is null ? code : $"__f_default({softCode}, {value})");
        }

        if (!Filters.TryGetValue(name.Text, out var signature))
        {
            throw TeraTranslator.Unexpected(name, $"Unknown filter `{name.Text}`");
        }

        var bound = Bind(name, signature, arguments);
        return new ScriptValue($"{signature.Function}({string.Join(", ", bound.Prepend(code))})");
    }

    public static ScriptValue Call(Token name, Dictionary<string, (Token Name, string Code)> arguments)
    {
        if (!Functions.TryGetValue(name.Text, out var signature))
        {
            throw TeraTranslator.Unexpected(name, $"Unknown function `{name.Text}`");
        }

        return new ScriptValue($"{signature.Function}({string.Join(", ", Bind(name, signature, arguments))})");
    }

    private static List<string> Bind(Token name, Signature signature, Dictionary<string, (Token Name, string Code)> arguments)
    {
        foreach (var (argument, (token, _)) in arguments)
        {
            if (!signature.Parameters.Any(p => p.Name == argument))
            {
                var known = signature.Parameters.Length == 0 ? "none" : string.Join(", ", signature.Parameters.Select(p => p.Name));
                throw TeraTranslator.Unexpected(token, $"`{name.Text}` has no argument `{argument}` (arguments: {known})");
            }
        }

        return signature.Parameters
            .Select(p => arguments.TryGetValue(p.Name, out var given)
                ? given.Code
                : p.Default ?? throw TeraTranslator.Unexpected(name, $"`{name.Text}` requires the argument `{p.Name}`"))
            .ToList();
    }
}
