namespace Brokkr.Stacks.Domain;

/// <summary>The YAML media types the reference recognises, in <c>Content-Type</c> and <c>Accept</c>.</summary>
internal static class MediaTypes
{
    public const string Yaml = "application/yaml";

    private static readonly string[] YamlTypes = [Yaml, "text/yaml", "application/x-yaml"];

    /// <summary>A single media type, parameters ignored, compared exactly (case-insensitively).</summary>
    public static bool IsYaml(string? mediaType)
    {
        if (mediaType is null)
        {
            return false;
        }

        var type = mediaType.AsSpan();
        var semicolon = type.IndexOf(';');
        if (semicolon >= 0)
        {
            type = type[..semicolon];
        }

        type = type.Trim();
        foreach (var yaml in YamlTypes)
        {
            if (type.Equals(yaml, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when any comma-separated part of an <c>Accept</c> header is a YAML type (details §4.1).</summary>
    public static bool AcceptsYaml(IEnumerable<string?> acceptHeaders)
    {
        foreach (var header in acceptHeaders)
        {
            if (header is null)
            {
                continue;
            }

            foreach (var part in header.Split(','))
            {
                if (IsYaml(part))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
