using System.Globalization;
using static Brokkr.Templates.Domain.Tera.TeraTranslator;

namespace Brokkr.Templates.Domain.Tera;

/// <summary>Tera expressions by precedence: or, and, not, comparisons and tests, ~, + -, * / %, unary -, filters, primaries.</summary>
internal sealed class TeraExpressionParser(TeraTranslator owner, IReadOnlyList<Token> tokens, int start = 0)
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
                return $"__defined({TeraVariablePaths.Soft(subject)})";
            case "undefined":
                return $"(!__defined({TeraVariablePaths.Soft(subject)}))";
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
            value = TeraFilters.Apply(name, value.Code, value.Path is null ? null : TeraVariablePaths.Soft(value), arguments);
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
        if (local is null && root.Text == "loop" && owner.InLoop)
        {
            return TeraVariablePaths.Loop(root, steps);
        }

        return TeraVariablePaths.Strict(root.Text, local, steps);
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
