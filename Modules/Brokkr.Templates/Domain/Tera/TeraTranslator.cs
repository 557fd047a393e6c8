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
/// Scriban's built-in functions.
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
                    var parser = new ExpressionParser(this, segment.Tokens);
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
        var parser = new ExpressionParser(this, segment.Tokens, 1);
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
                    var elif = new ExpressionParser(this, end.Tokens, 1);
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

        var parser = new ExpressionParser(this, tokens, next + 1);
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

        var parser = new ExpressionParser(this, tokens, 3);
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

    /// <summary>The script expression for a local name (loop or set variable), or null for a parameter.</summary>
    private string? Local(string name)
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
        => index < tokens.Count && tokens[index].Kind == TokenKind.Identifier && !ExpressionParser.IsKeyword(tokens[index].Text)
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

    /// <summary>Tera expressions by precedence: or, and, not, comparisons and tests, ~, + -, * / %, unary -, filters, primaries.</summary>
    private sealed class ExpressionParser(TeraTranslator owner, IReadOnlyList<Token> tokens, int start = 0)
    {
        private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal) { "and", "or", "not", "in", "is", "true", "false", "True", "False" };

        private int _position = start;
        private int _depth;

        public static bool IsKeyword(string name) => Keywords.Contains(name);

        public ScriptValue Expression() => Or();

        public string Condition() => Truthy(Expression());

        public void End()
        {
            if (_position < tokens.Count)
            {
                throw Unexpected(tokens[_position], $"Unexpected `{tokens[_position].Text}`");
            }
        }

        private static string Truthy(ScriptValue value) => value.IsBoolean ? value.Code : $"__t({value.Code})";

        private ScriptValue Or()
        {
            var left = And();
            while (Accept(TokenKind.Identifier, "or"))
            {
                left = new ScriptValue($"({Truthy(left)} || {Truthy(And())})", IsBoolean: true);
            }

            return left;
        }

        private ScriptValue And()
        {
            var left = Not();
            while (Accept(TokenKind.Identifier, "and"))
            {
                left = new ScriptValue($"({Truthy(left)} && {Truthy(Not())})", IsBoolean: true);
            }

            return left;
        }

        private ScriptValue Not()
        {
            if (Accept(TokenKind.Identifier, "not"))
            {
                Deeper();
                var operand = Not();
                _depth--;
                return new ScriptValue($"(!{Truthy(operand)})", IsBoolean: true);
            }

            return Comparison();
        }

        private ScriptValue Comparison()
        {
            var left = Concat();
            if (Peek(TokenKind.Symbol) is { } symbol && symbol.Text is "==" or "!=" or "<" or "<=" or ">" or ">=")
            {
                _position++;
                var function = symbol.Text switch
                {
                    "==" => "__eq",
                    "!=" => "__ne",
                    "<" => "__lt",
                    "<=" => "__le",
                    ">" => "__gt",
                    _ => "__ge",
                };
                return new ScriptValue($"{function}({left.Code}, {Concat().Code})", IsBoolean: true);
            }

            if (Accept(TokenKind.Identifier, "in"))
            {
                return new ScriptValue($"__in({left.Code}, {Concat().Code})", IsBoolean: true);
            }

            if (Peek(TokenKind.Identifier, "not") is not null && Peek(TokenKind.Identifier, "in", 1) is not null)
            {
                _position += 2;
                return new ScriptValue($"(!__in({left.Code}, {Concat().Code}))", IsBoolean: true);
            }

            if (Accept(TokenKind.Identifier, "is"))
            {
                var negate = Accept(TokenKind.Identifier, "not");
                var test = Test(left);
                return new ScriptValue(negate ? $"(!{test})" : test, IsBoolean: true);
            }

            return left;
        }

        private string Test(ScriptValue subject)
        {
            var name = Next(TokenKind.Identifier, "a test name after `is`");
            switch (name.Text)
            {
                case "defined":
                    return $"__defined({Soft(subject)})";
                case "undefined":
                    return $"(!__defined({Soft(subject)}))";
                case "string" or "number" or "object" or "iterable" or "odd" or "even":
                    return $"__is_{name.Text}({subject.Code})";
                default:
                    throw Unexpected(name, $"Unknown test `{name.Text}`");
            }
        }

        private ScriptValue Concat()
        {
            var left = Additive();
            while (Accept(TokenKind.Symbol, "~"))
            {
                left = new ScriptValue($"__cat({left.Code}, {Additive().Code})");
            }

            return left;
        }

        private ScriptValue Additive()
        {
            var left = Multiplicative();
            while (Peek(TokenKind.Symbol) is { Text: "+" or "-" } symbol)
            {
                _position++;
                left = new ScriptValue($"{(symbol.Text == "+" ? "__add" : "__sub")}({left.Code}, {Multiplicative().Code})");
            }

            return left;
        }

        private ScriptValue Multiplicative()
        {
            var left = Unary();
            while (Peek(TokenKind.Symbol) is { Text: "*" or "/" or "%" } symbol)
            {
                _position++;
                var function = symbol.Text switch { "*" => "__mul", "/" => "__div", _ => "__mod" };
                left = new ScriptValue($"{function}({left.Code}, {Unary().Code})");
            }

            return left;
        }

        private ScriptValue Unary()
        {
            if (Accept(TokenKind.Symbol, "-"))
            {
                Deeper();
                var operand = Unary();
                _depth--;
                return new ScriptValue($"__neg({operand.Code})");
            }

            return Filtered();
        }

        private ScriptValue Filtered()
        {
            var value = Primary();
            while (Accept(TokenKind.Symbol, "|"))
            {
                var name = Next(TokenKind.Identifier, "a filter name after `|`");
                var arguments = Arguments();
                value = TeraFilters.Apply(name, value.Code, value.Path is null ? null : Soft(value), arguments);
            }

            return value;
        }

        /// <summary>Named arguments <c>(name=expr, ...)</c>, or none.</summary>
        private Dictionary<string, (Token Name, string Code)> Arguments()
        {
            var arguments = new Dictionary<string, (Token, string)>(StringComparer.Ordinal);
            if (!Accept(TokenKind.Symbol, "("))
            {
                return arguments;
            }

            Deeper();
            while (!Accept(TokenKind.Symbol, ")"))
            {
                if (arguments.Count > 0)
                {
                    Next(TokenKind.Symbol, "`,` between arguments", ",");
                }

                var name = Next(TokenKind.Identifier, "an argument name (Tera arguments are named: `name=value`)");
                Next(TokenKind.Symbol, "`=` after the argument name", "=");
                if (!arguments.TryAdd(name.Text, (name, Expression().Code)))
                {
                    throw Unexpected(name, $"Argument `{name.Text}` given twice");
                }
            }

            _depth--;
            return arguments;
        }

        private ScriptValue Primary()
        {
            Deeper();
            try
            {
                var token = tokens.Count > _position ? tokens[_position++] : throw End("a value");
                switch (token.Kind)
                {
                    case TokenKind.String:
                        return new ScriptValue(Literal(token.Text));
                    case TokenKind.Integer:
                        return new ScriptValue(long.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out _)
                            ? $"__num({Literal(token.Text)})"
                            : throw Unexpected(token, "Integer literal out of range"));
                    case TokenKind.Float:
                        return new ScriptValue($"__num({Literal(token.Text)})");
                    case TokenKind.Symbol when token.Text == "(":
                        var inner = Expression();
                        Next(TokenKind.Symbol, "`)`", ")");
                        return inner with { Path = null };
                    case TokenKind.Symbol when token.Text == "[":
                        var items = new List<string>();
                        while (!Accept(TokenKind.Symbol, "]"))
                        {
                            if (items.Count > 0)
                            {
                                Next(TokenKind.Symbol, "`,` between array items", ",");
                                if (Accept(TokenKind.Symbol, "]"))
                                {
                                    break;
                                }
                            }

                            items.Add(Expression().Code);
                        }

                        return new ScriptValue($"__arr([{string.Join(", ", items)}])");
                    case TokenKind.Identifier when token.Text is "true" or "True":
                        return new ScriptValue("true", IsBoolean: true);
                    case TokenKind.Identifier when token.Text is "false" or "False":
                        return new ScriptValue("false", IsBoolean: true);
                    case TokenKind.Identifier when !Keywords.Contains(token.Text):
                        return Peek(TokenKind.Symbol, "(") is not null ? Call(token) : Path(token);
                    default:
                        throw Unexpected(token, $"Unexpected `{token.Text}`");
                }
            }
            finally
            {
                _depth--;
            }
        }

        private ScriptValue Call(Token name)
        {
            var arguments = Arguments();
            return TeraFilters.Call(name, arguments);
        }

        private ScriptValue Path(Token root)
        {
            var steps = new List<(string Kind, string Code)>();
            while (true)
            {
                if (Accept(TokenKind.Symbol, "."))
                {
                    var member = tokens.Count > _position ? tokens[_position++] : throw End("a member name after `.`");
                    steps.Add(member.Kind switch
                    {
                        TokenKind.Identifier => ("m", Literal(member.Text)),
                        TokenKind.Integer => ("i", $"__num({Literal(member.Text)})"),
                        _ => throw Unexpected(member, "Expected a member name after `.`"),
                    });
                }
                else if (Accept(TokenKind.Symbol, "["))
                {
                    Deeper();
                    steps.Add(("i", Expression().Code));
                    Next(TokenKind.Symbol, "`]`", "]");
                    _depth--;
                }
                else
                {
                    break;
                }
            }

            var local = owner.Local(root.Text);
            if (local is null && root.Text == "loop" && owner._loopDepth > 0)
            {
                return Loop(root, steps);
            }

            var parts = new ScriptPath(root.Text, local, steps);
            var code = local ?? $"__p({Literal(root.Text)})";
            var display = new StringBuilder(root.Text);
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
        private static ScriptValue Loop(Token root, List<(string Kind, string Code)> steps)
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
        private static string Soft(ScriptValue value)
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

        private void Deeper()
        {
            if (++_depth > MaxNesting)
            {
                var at = tokens[Math.Min(_position, tokens.Count - 1)];
                throw Unexpected(at, $"Expression nested deeper than {MaxNesting} levels");
            }
        }

        private Token? Peek(TokenKind kind, string? text = null, int ahead = 0)
            => _position + ahead < tokens.Count && tokens[_position + ahead].Kind == kind && (text is null || tokens[_position + ahead].Text == text)
                ? tokens[_position + ahead]
                : null;

        private bool Accept(TokenKind kind, string text)
        {
            if (Peek(kind, text) is null)
            {
                return false;
            }

            _position++;
            return true;
        }

        private Token Next(TokenKind kind, string what, string? text = null)
            => Peek(kind, text) is { } token ? tokens[_position++] : throw (_position < tokens.Count ? Unexpected(tokens[_position], $"Expected {what}") : End(what));

        private TemplateSyntaxException End(string what)
        {
            var last = tokens[^1];
            return new TemplateSyntaxException($"Expected {what} before the end of the tag", last.Line, last.Column + last.Text.Length);
        }
    }
}
