using System.Text;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Text;

namespace Brokkr.Stacks.Domain;

internal static class Labels
{
    public const int MaxBytes = 64;

    /// <summary>Stack labels: non-empty, at most 64 bytes of UTF-8, no Unicode whitespace (details §4.7).</summary>
    public static void Validate(string label)
    {
        if (label.Length == 0 || !WireText.IsStorable(label) || Encoding.UTF8.GetByteCount(label) > MaxBytes || label.Any(char.IsWhiteSpace))
        {
            throw ApiException.BadRequest("invalid_label", "Label must be 1 to 64 bytes of text with no whitespace");
        }
    }
}

internal static class Annotations
{
    public const int MaxCharacters = 64;

    /// <summary>
    /// Stack annotations are not validated by the reference beyond the column limit of 64
    /// characters, which it answers with a 500; here that limit is a 400 and nothing else is refused.
    /// </summary>
    public static void Validate(string key, string value)
    {
        if (!WireText.Fits(key, MaxCharacters) || !WireText.Fits(value, MaxCharacters))
        {
            throw ApiException.BadRequest("invalid_annotation", "Annotation key and value must be text of at most 64 characters");
        }
    }
}
