namespace Brokkr.Stacks.Domain;

/// <summary>Strong entity tags for target state (details §5).</summary>
internal static class EntityTags
{
    public const string Any = "*";
    private const int MaxCandidates = 64;

    public static string Quote(string opaque) => $"\"{opaque}\"";

    /// <summary>
    /// The opaque tags of <c>If-None-Match</c> (one or more headers, comma-separated), unquoted.
    /// <c>*</c> is returned as is; a weak tag (<c>W/"…"</c>) counts, since If-None-Match compares weakly.
    /// </summary>
    public static IReadOnlyList<string> ParseIfNoneMatch(IEnumerable<string?> headers)
    {
        var tags = new List<string>();
        foreach (var header in headers)
        {
            if (string.IsNullOrEmpty(header))
            {
                continue;
            }

            foreach (var raw in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (tags.Count == MaxCandidates)
                {
                    return tags;
                }

                var tag = raw.StartsWith("W/", StringComparison.Ordinal) ? raw[2..] : raw;
                if (tag == Any)
                {
                    tags.Add(Any);
                }
                else if (tag.Length >= 2 && tag[0] == '"' && tag[^1] == '"')
                {
                    tags.Add(tag[1..^1]);
                }
            }
        }

        return tags;
    }

    public static bool Matches(IReadOnlyList<string> candidates, string opaque)
        => candidates.Contains(Any) || candidates.Contains(opaque);
}
