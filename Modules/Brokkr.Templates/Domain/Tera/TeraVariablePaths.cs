using System.Text;
using static Brokkr.Templates.Domain.Tera.TeraTranslator;

namespace Brokkr.Templates.Domain.Tera;

/// <summary>
/// Script code for a variable path <c>root.member[index]</c>: the strict read that fails on an absent
/// variable, the soft read used by <c>default</c> and <c>is defined</c>, and Tera's <c>loop.*</c>.
/// </summary>
internal static class TeraVariablePaths
{
    /// <summary>The value, failing when the parameter (or a local's member or index) is absent; the path keeps its parts for a soft read.</summary>
    public static ScriptValue Strict(string root, string? local, List<(string Kind, string Code)> steps)
    {
        var parts = new ScriptPath(root, local, steps);
        var code = local ?? $"__p({Literal(root)})";
        var display = new StringBuilder(root);
        foreach (var (kind, step) in steps)
        {
            display.Append(kind == "m" ? "." + step[1..^1] : "[…]");
            code = kind == "m"
                ? $"__m({code}, {step}, {Literal(display.ToString())})"
                : $"__i({code}, {step})";
        }

        return new ScriptValue(code, parts);
    }

    /// <summary>Tera's <c>loop.index</c> (from 1), <c>index0</c>, <c>first</c>, <c>last</c> from Scriban's innermost <c>for</c>.</summary>
    public static ScriptValue Loop(Token root, List<(string Kind, string Code)> steps)
    {
        if (steps is not [("m", var member)])
        {
            throw Unexpected(root, "`loop` has the members index, index0, first and last");
        }

        return member[1..^1] switch
        {
            "index" => new ScriptValue("__num(for.index + 1)"),
            "index0" => new ScriptValue("__num(for.index)"),
            "first" => new ScriptValue("for.first", IsBoolean: true),
            "last" => new ScriptValue("for.last", IsBoolean: true),
            _ => throw Unexpected(root, $"`loop.{member[1..^1]}` does not exist; use index, index0, first or last"),
        };
    }

    /// <summary>The value without failing on absence: a sentinel for a missing parameter, key or index.</summary>
    public static string Soft(ScriptValue value)
    {
        if (value.Path is not { } path)
        {
            return value.Code;
        }

        var code = path.Local ?? $"__ps({Literal(path.Root)})";
        foreach (var (kind, step) in path.Steps)
        {
            code = kind == "m" ? $"__sm({code}, {step})" : $"__si({code}, {step})";
        }

        return code;
    }
}
