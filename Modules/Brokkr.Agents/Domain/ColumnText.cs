using System.Text;

namespace Brokkr.Agents.Domain;

/// <summary>
/// Whether a string can be stored in a <c>varchar(n)</c>/<c>text</c> column: PostgreSQL counts
/// characters (code points), not UTF-16 units, and refuses NUL and unpaired surrogates.
/// </summary>
internal static class ColumnText
{
    public static bool Fits(string value, int maxCharacters)
        => IsStorable(value) && (value.Length <= maxCharacters || Characters(value) <= maxCharacters);

    public static bool IsStorable(string value)
        => !value.Contains('\0', StringComparison.Ordinal) && IsWellFormed(value);

    public static int Characters(string value)
    {
        var count = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    private static bool IsWellFormed(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (!char.IsSurrogate(value[i]))
            {
                continue;
            }

            if (!Rune.TryGetRuneAt(value, i, out _))
            {
                return false;
            }

            i++;
        }

        return true;
    }
}
