namespace Brokkr.Shared.Text;

/// <summary>
/// Text as PostgreSQL stores it: <c>varchar(n)</c> counts characters (code points), not UTF-16 units,
/// and no column takes NUL or an unpaired UTF-16 surrogate (which a JSON <c>\ud800</c> escape can
/// produce and which cannot be encoded as UTF-8). Each operation answers a failure with its own code.
/// </summary>
public static class WireText
{
    /// <summary>Storable and at most <paramref name="maxCharacters"/> characters.</summary>
    public static bool Fits(string text, int maxCharacters)
        => IsStorable(text) && (text.Length <= maxCharacters || Characters(text) <= maxCharacters);

    public static bool IsStorable(string? text)
    {
        if (text is null)
        {
            return true;
        }

        var span = text.AsSpan();
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            if (c == '\0')
            {
                return false;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= span.Length || !char.IsLowSurrogate(span[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Length in Unicode characters (code points), as PostgreSQL's <c>varchar(n)</c> counts.</summary>
    public static int Characters(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
