namespace Brokkr.Stacks.Domain;

/// <summary>
/// Text that PostgreSQL can store: no NUL characters and no unpaired UTF-16 surrogates (which a
/// JSON <c>\ud800</c> escape can produce and which cannot be encoded as UTF-8).
/// </summary>
internal static class WireText
{
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

    /// <summary>Length in Unicode characters (code points), as PostgreSQL's VARCHAR(n) counts.</summary>
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
