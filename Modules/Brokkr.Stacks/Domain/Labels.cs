using System.Text;
using Brokkr.Shared.Errors;

namespace Brokkr.Stacks.Domain;

internal static class Labels
{
    /// <summary>Stack and template labels: non-empty, at most 64 bytes of UTF-8, no whitespace.</summary>
    public static void Validate(string label)
    {
        if (label.Length == 0 || Encoding.UTF8.GetByteCount(label) > 64 || label.Any(char.IsWhiteSpace))
        {
            throw ApiException.BadRequest("invalid_label", "Label must be 1 to 64 bytes with no whitespace");
        }
    }
}
