namespace Brokkr.Templates.Domain.Tera;

internal enum SegmentKind
{
    Text,
    Expression,
    Statement,
}

internal enum TokenKind
{
    Identifier,
    Integer,
    Float,
    String,
    Symbol,
}

internal sealed record Token(TokenKind Kind, string Text, int Line, int Column);

/// <summary>A piece of the template: literal text (whitespace control already applied), <c>{{ }}</c> or <c>{% %}</c>.</summary>
internal sealed record Segment(SegmentKind Kind, string Text, IReadOnlyList<Token> Tokens, int Line, int Column);

/// <summary>
/// Splits Tera source into text, expressions and statements, and each tag into tokens. Comments
/// (<c>{# #}</c>) are dropped, <c>{% raw %}</c> blocks become text, and the <c>-</c> markers of
/// whitespace control trim the neighbouring text as Tera does (all Unicode whitespace).
/// Strings are scanned as tokens, so a <c>}}</c> inside a string literal does not close a tag.
/// </summary>
internal sealed class TeraLexer(string source)
{
    private static readonly string[] Symbols = ["==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "%", "~", "|", "(", ")", "[", "]", ",", ".", "=", ":"];

    private readonly List<Segment> _segments = [];
    private int _position;
    private bool _trimNext;
    private List<int>? _lineStarts;

    public static IReadOnlyList<Segment> Split(string source) => new TeraLexer(source).Run();

    private IReadOnlyList<Segment> Run()
    {
        while (_position < source.Length)
        {
            var open = NextOpening(_position);
            var text = source[_position..(open < 0 ? source.Length : open)];
            if (open < 0)
            {
                AddText(text, trimEnd: false, _position);
                break;
            }

            var start = open + 2;
            var trimLeft = start < source.Length && source[start] == '-';
            if (trimLeft)
            {
                start++;
            }

            AddText(text, trimLeft, _position);
            var (line, column) = Position(open);
            switch (source[open + 1])
            {
                case '#':
                    SkipComment(start, line, column);
                    break;
                case '{':
                    _segments.Add(Tag(SegmentKind.Expression, start, "}}", line, column));
                    break;
                default:
                    var statement = Tag(SegmentKind.Statement, start, "%}", line, column);
                    if (statement.Tokens is [{ Kind: TokenKind.Identifier, Text: "raw" }])
                    {
                        ReadRaw(line, column);
                    }
                    else
                    {
                        _segments.Add(statement);
                    }

                    break;
            }
        }

        return _segments;
    }

    private int NextOpening(int from)
    {
        for (var i = source.IndexOf('{', from); i >= 0 && i + 1 < source.Length; i = source.IndexOf('{', i + 1))
        {
            if (source[i + 1] is '{' or '%' or '#')
            {
                return i;
            }
        }

        return -1;
    }

    private void AddText(string text, bool trimEnd, int at)
    {
        if (_trimNext)
        {
            text = text.TrimStart();
            _trimNext = false;
        }

        if (trimEnd)
        {
            text = text.TrimEnd();
        }

        if (text.Length > 0)
        {
            var (line, column) = Position(at);
            _segments.Add(new Segment(SegmentKind.Text, text, [], line, column));
        }
    }

    private void SkipComment(int start, int line, int column)
    {
        var close = source.IndexOf("#}", start, StringComparison.Ordinal);
        if (close < 0)
        {
            throw new TemplateSyntaxException("Unclosed comment: `{#` without `#}`", line, column);
        }

        _trimNext = close > start && source[close - 1] == '-';
        _position = close + 2;
    }

    /// <summary>Everything up to <c>{% endraw %}</c> is text, tags included.</summary>
    private void ReadRaw(int line, int column)
    {
        for (var open = source.IndexOf("{%", _position, StringComparison.Ordinal); open >= 0; open = source.IndexOf("{%", open + 2, StringComparison.Ordinal))
        {
            var i = open + 2;
            var trimLeft = i < source.Length && source[i] == '-';
            i += trimLeft ? 1 : 0;
            while (i < source.Length && char.IsWhiteSpace(source[i]))
            {
                i++;
            }

            if (string.CompareOrdinal(source, i, "endraw", 0, 6) != 0)
            {
                continue;
            }

            i += 6;
            while (i < source.Length && char.IsWhiteSpace(source[i]))
            {
                i++;
            }

            var trimRight = i < source.Length && source[i] == '-';
            i += trimRight ? 1 : 0;
            if (string.CompareOrdinal(source, i, "%}", 0, 2) != 0)
            {
                continue;
            }

            var start = _position;
            AddText(source[start..open], trimLeft, start);
            _position = i + 2;
            _trimNext = trimRight;
            return;
        }

        throw new TemplateSyntaxException("Unclosed `{% raw %}`: no `{% endraw %}`", line, column);
    }

    private Segment Tag(SegmentKind kind, int start, string close, int line, int column)
    {
        var tokens = new List<Token>();
        var i = start;
        while (true)
        {
            while (i < source.Length && char.IsWhiteSpace(source[i]))
            {
                i++;
            }

            if (i >= source.Length)
            {
                throw new TemplateSyntaxException($"Unclosed tag: no `{close}`", line, column);
            }

            if (source[i] == '-' && string.CompareOrdinal(source, i + 1, close, 0, 2) == 0)
            {
                _trimNext = true;
                _position = i + 3;
                break;
            }

            if (string.CompareOrdinal(source, i, close, 0, 2) == 0)
            {
                _position = i + 2;
                break;
            }

            i = ReadToken(i, tokens);
        }

        if (tokens.Count == 0)
        {
            throw new TemplateSyntaxException(kind == SegmentKind.Expression ? "Empty expression `{{ }}`" : "Empty statement `{% %}`", line, column);
        }

        return new Segment(kind, string.Empty, tokens, line, column);
    }

    private int ReadToken(int i, List<Token> tokens)
    {
        var (line, column) = Position(i);
        var c = source[i];
        if (c is '"' or '\'' or '`')
        {
            var end = source.IndexOf(c, i + 1);
            if (end < 0)
            {
                throw new TemplateSyntaxException("Unclosed string literal", line, column);
            }

            tokens.Add(new Token(TokenKind.String, source[(i + 1)..end], line, column));
            return end + 1;
        }

        if (char.IsAsciiDigit(c))
        {
            var end = i;
            while (end < source.Length && char.IsAsciiDigit(source[end]))
            {
                end++;
            }

            // After a dot (a.0) a number is an index, never a float.
            var afterDot = tokens.Count > 0 && tokens[^1] is { Kind: TokenKind.Symbol, Text: "." };
            if (!afterDot && end + 1 < source.Length && source[end] == '.' && char.IsAsciiDigit(source[end + 1]))
            {
                end++;
                while (end < source.Length && char.IsAsciiDigit(source[end]))
                {
                    end++;
                }

                tokens.Add(new Token(TokenKind.Float, source[i..end], line, column));
                return end;
            }

            tokens.Add(new Token(TokenKind.Integer, source[i..end], line, column));
            return end;
        }

        if (char.IsAsciiLetter(c) || c == '_')
        {
            var end = i + 1;
            while (end < source.Length && (char.IsAsciiLetterOrDigit(source[end]) || source[end] == '_'))
            {
                end++;
            }

            tokens.Add(new Token(TokenKind.Identifier, source[i..end], line, column));
            return end;
        }

        foreach (var symbol in Symbols)
        {
            if (string.CompareOrdinal(source, i, symbol, 0, symbol.Length) == 0)
            {
                tokens.Add(new Token(TokenKind.Symbol, symbol, line, column));
                return i + symbol.Length;
            }
        }

        throw new TemplateSyntaxException($"Unexpected character `{c}`", line, column);
    }

    private (int Line, int Column) Position(int index)
    {
        if (_lineStarts is null)
        {
            _lineStarts = [0];
            for (var i = source.IndexOf('\n'); i >= 0; i = source.IndexOf('\n', i + 1))
            {
                _lineStarts.Add(i + 1);
            }
        }

        var found = _lineStarts.BinarySearch(index);
        var line = found >= 0 ? found : ~found - 1;
        return (line + 1, index - _lineStarts[line] + 1);
    }
}
