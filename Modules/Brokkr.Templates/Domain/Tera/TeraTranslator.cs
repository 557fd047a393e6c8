using System.Globalization;
using System.Text;

namespace Brokkr.Templates.Domain.Tera;

/// <summary>
/// Translates Tera source into a Scriban script (ADR 0012). Tera's statements become Scriban's
/// control flow (<c>if</c>/<c>else if</c>/<c>for</c>/<c>break</c>/<c>continue</c>), and every value
/// operation becomes a call into <see cref="TeraRuntime"/>, so Tera's semantics (truthiness, strict
/// variables, <c>default</c>, filters with named arguments, operator precedence, <c>loop.*</c>) do
/// not depend on Scriban's. Template identifiers never reach the script as identifiers: parameters
/// are looked up by name and local variables get generated names, so a template cannot call
/// Scriban's built-in functions. Statements are translated here; expressions by
/// <see cref="TeraExpressionParser"/>.
/// </summary>
internal sealed class TeraTranslator
{
    public const int MaxNesting = 64;

    private static readonly HashSet<string> UnsupportedTags = new(StringComparer.Ordinal)
    {
        "include", "extends", "block", "endblock", "macro", "endmacro", "import", "filter", "endfilter",
    };

    private readonly IReadOnlyList<Segment> _segments;
    private readonly StringBuilder _script = new();
    private readonly List<Dictionary<string, string>> _scopes = [new(StringComparer.Ordinal)];
    private int _index;
    private int _loopDepth;
    private int _blockDepth;
    private int _names;

    private TeraTranslator(IReadOnlyList<Segment> segments) => _segments = segments;

    /// <summary>The Scriban script for a Tera template; <see cref="TemplateSyntaxException"/> when it does not parse.</summary>
    public static string Translate(string source)
    {
        var translator = new TeraTranslator(TeraLexer.Split(source));
        var end = translator.Block();
        if (end is not null)
        {
            throw Unexpected(end.Tokens[0], $"`{{% {end.Tokens[0].Text} %}}` without an opening tag");
        }

        return translator._script.ToString();
    }

    /// <summary>Emits segments until a block keyword this level does not handle; returns that segment (null at the end).</summary>
    private Segment? Block()
    {
        while (_index < _segments.Count)
        {
            var segment = _segments[_index++];
            switch (segment.Kind)
            {
                case SegmentKind.Text:
                    Line(Literal(segment.Text));
                    break;
                case SegmentKind.Expression:
                    var parser = new TeraExpressionParser(this, segment.Tokens);
                    var value = parser.Expression();
                    parser.End();
                    Line($"__out({value.Code})");
                    break;
                default:
                    if (!Statement(segment))
                    {
                        return segment;
                    }

                    break;
            }
        }

        return null;
    }

    private bool Statement(Segment segment)
    {
        var keyword = segment.Tokens[0];
        if (keyword.Kind != TokenKind.Identifier)
        {
            throw Unexpected(keyword, "A statement starts with a keyword");
        }

        switch (keyword.Text)
        {
            case "if":
                If(segment);
                return true;
            case "for":
                For(segment);
                return true;
            case "set" or "set_global":
                Set(segment, keyword.Text == "set_global");
                return true;
            case "break" or "continue":
                if (_loopDepth == 0 || segment.Tokens.Count != 1)
                {
                    throw Unexpected(keyword, $"`{keyword.Text}` is only allowed alone inside a for loop");
                }

                Line(keyword.Text);
                return true;
            case "elif" or "else" or "endif" or "endfor":
                return false;
            default:
                throw Unexpected(keyword, UnsupportedTags.Contains(keyword.Text)
                    ? $"`{{% {keyword.Text} %}}` is not supported in stack templates"
                    : $"Unknown tag `{{% {keyword.Text} %}}`");
        }
    }

    private void If(Segment segment)
    {
        Enter(segment);
        var parser = new TeraExpressionParser(this, segment.Tokens, 1);
        Line($"if {parser.Condition()}");
        parser.End();
        var elseSeen = false;
        while (true)
        {
            var end = Block() ?? throw Unexpected(segment.Tokens[0], "`{% if %}` without `{% endif %}`");
            var keyword = end.Tokens[0];
            switch (keyword.Text)
            {
                case "elif" when !elseSeen:
                    var elif = new TeraExpressionParser(this, end.Tokens, 1);
                    Line($"else if {elif.Condition()}");
                    elif.End();
                    break;
                case "else" when !elseSeen && end.Tokens.Count == 1:
                    elseSeen = true;
                    Line("else");
                    break;
                case "endif" when end.Tokens.Count == 1:
                    Line("end");
                    _blockDepth--;
                    return;
                default:
                    throw Unexpected(keyword, $"Unexpected `{{% {keyword.Text} %}}` inside `{{% if %}}`");
            }
        }
    }

    private void For(Segment segment)
    {
        Enter(segment);
        var tokens = segment.Tokens;
        var first = Identifier(tokens, 1);
        string? second = null;
        var next = 2;
        if (next < tokens.Count && tokens[next] is { Kind: TokenKind.Symbol, Text: "," })
        {
            second = Identifier(tokens, 3);
            next = 4;
        }

        if (next >= tokens.Count || tokens[next] is not { Kind: TokenKind.Identifier, Text: "in" })
        {
            throw Unexpected(tokens[Math.Min(next, tokens.Count - 1)], "Expected `in` in `{% for %}`");
        }

        var parser = new TeraExpressionParser(this, tokens, next + 1);
        var iterable = parser.Expression();
        parser.End();

        var variable = $"l{++_names}_";
        var scope = new Dictionary<string, string>(StringComparer.Ordinal);
        if (second is null)
        {
            Line($"for {variable} in __iter({iterable.Code})");
            scope[first] = variable;
        }
        else
        {
            Line($"for {variable} in __pairs({iterable.Code})");
            scope[first] = $"__i({variable}, 0)";
            scope[second] = $"__i({variable}, 1)";
        }

        _scopes.Add(scope);
        _loopDepth++;
        var end = Block() ?? throw Unexpected(tokens[0], "`{% for %}` without `{% endfor %}`");
        if (end.Tokens is not [{ Text: "endfor" }])
        {
            throw Unexpected(end.Tokens[0], $"Unexpected `{{% {end.Tokens[0].Text} %}}` inside `{{% for %}}`");
        }

        _loopDepth--;
        _scopes.RemoveAt(_scopes.Count - 1);
        _blockDepth--;
        Line("end");
    }

    private void Set(Segment segment, bool global)
    {
        var tokens = segment.Tokens;
        var name = Identifier(tokens, 1);
        if (tokens.Count < 3 || tokens[2] is not { Kind: TokenKind.Symbol, Text: "=" })
        {
            throw Unexpected(tokens[Math.Min(2, tokens.Count - 1)], "Expected `=` in `{% set %}`");
        }

        var parser = new TeraExpressionParser(this, tokens, 3);
        var value = parser.Expression();
        parser.End();
        var scope = global ? _scopes[0] : _scopes[^1];
        if (!scope.TryGetValue(name, out var variable) || variable.StartsWith("__", StringComparison.Ordinal))
        {
            variable = $"s{++_names}_";
            scope[name] = variable;
        }

        Line($"{variable} = {value.Code}");
    }

    private void Enter(Segment segment)
    {
        if (++_blockDepth > MaxNesting)
        {
            throw new TemplateSyntaxException($"Blocks are nested deeper than {MaxNesting} levels", segment.Line, segment.Column);
        }
    }

    private void Line(string code) => _script.Append(code).Append('\n');

    /// <summary>Whether the statement being translated is inside a <c>for</c>, where <c>loop.*</c> exists.</summary>
    internal bool InLoop => _loopDepth > 0;

    /// <summary>The script expression for a local name (loop or set variable), or null for a parameter.</summary>
    internal string? Local(string name)
    {
        for (var i = _scopes.Count - 1; i >= 0; i--)
        {
            if (_scopes[i].TryGetValue(name, out var code))
            {
                return code;
            }
        }

        return null;
    }

    private static string Identifier(IReadOnlyList<Token> tokens, int index)
        => index < tokens.Count && tokens[index].Kind == TokenKind.Identifier && !TeraExpressionParser.IsKeyword(tokens[index].Text)
            ? tokens[index].Text
            : throw Unexpected(tokens[Math.Min(index, tokens.Count - 1)], "Expected a variable name");

    internal static string Literal(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case < ' ': builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: builder.Append(c); break;
            }
        }

        return builder.Append('"').ToString();
    }

    internal static TemplateSyntaxException Unexpected(Token token, string message) => new(message, token.Line, token.Column);
}
