namespace Brokkr.Host.Observability;

/// <summary>
/// The verb of a SQL statement, as a metric label: <c>select</c>, <c>insert</c>, <c>update</c>, <c>delete</c>,
/// or <c>other</c>. Leading comments, whitespace and parentheses are skipped; a <c>WITH</c> statement is named
/// after its main statement, the first of those verbs outside the parentheses of its common table expressions.
/// </summary>
internal static class SqlVerb
{
    public const string Other = "other";

    public static string Of(string? sql)
    {
        if (string.IsNullOrEmpty(sql))
        {
            return Other;
        }

        var position = 0;
        var first = true;
        var depth = 0;
        while (NextWord(sql, ref position, ref depth, countParentheses: !first) is { } word)
        {
            if (first)
            {
                first = false;
                if (Verb(word) is { } verb)
                {
                    return verb;
                }

                if (!word.Equals("with", StringComparison.OrdinalIgnoreCase))
                {
                    return Other;
                }

                continue;
            }

            if (depth == 0 && Verb(word) is { } main)
            {
                return main;
            }
        }

        return Other;
    }

    private static string? Verb(ReadOnlySpan<char> word)
        => word.Equals("select", StringComparison.OrdinalIgnoreCase) ? "select"
            : word.Equals("insert", StringComparison.OrdinalIgnoreCase) ? "insert"
            : word.Equals("update", StringComparison.OrdinalIgnoreCase) ? "update"
            : word.Equals("delete", StringComparison.OrdinalIgnoreCase) ? "delete"
            : null;

    /// <summary>The next bare word, skipping comments, quoted text and punctuation, keeping track of parentheses.</summary>
    private static string? NextWord(string sql, ref int position, ref int depth, bool countParentheses)
    {
        while (position < sql.Length)
        {
            var c = sql[position];
            if (char.IsWhiteSpace(c))
            {
                position++;
            }
            else if (c == '-' && At(sql, position + 1, '-'))
            {
                var end = sql.IndexOf('\n', position);
                position = end < 0 ? sql.Length : end + 1;
            }
            else if (c == '/' && At(sql, position + 1, '*'))
            {
                var end = sql.IndexOf("*/", position + 2, StringComparison.Ordinal);
                position = end < 0 ? sql.Length : end + 2;
            }
            else if (c is '\'' or '"')
            {
                var end = sql.IndexOf(c, position + 1);
                position = end < 0 ? sql.Length : end + 1;
            }
            else if (c == '(')
            {
                // A statement that opens with parentheses ((SELECT ...) UNION ...) is named by what is inside.
                if (countParentheses)
                {
                    depth++;
                }

                position++;
            }
            else if (c == ')')
            {
                depth = Math.Max(0, depth - 1);
                position++;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = position;
                while (position < sql.Length && (char.IsLetterOrDigit(sql[position]) || sql[position] is '_' or '$'))
                {
                    position++;
                }

                return sql[start..position];
            }
            else
            {
                position++;
            }
        }

        return null;
    }

    private static bool At(string sql, int index, char c) => index < sql.Length && sql[index] == c;
}
