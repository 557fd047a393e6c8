using System.Globalization;
using System.Text.RegularExpressions;

namespace Brokkr.FakeKube.Discovery;

/// <summary>
/// Kubernetes version priority, which picks a group's preferred version: GA before beta before alpha,
/// higher numbers first (v2 &gt; v1 &gt; v1beta2 &gt; v1beta1 &gt; v1alpha1), then other names alphabetically.
/// </summary>
internal sealed partial class KubeVersionOrder : IComparer<string>
{
    public static readonly KubeVersionOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        var a = Rank(x ?? string.Empty);
        var b = Rank(y ?? string.Empty);
        return a.Kind != b.Kind ? a.Kind.CompareTo(b.Kind)
            : a.Major != b.Major ? b.Major.CompareTo(a.Major)
            : a.Minor != b.Minor ? b.Minor.CompareTo(a.Minor)
            : string.CompareOrdinal(x, y);
    }

    private static (int Kind, int Major, int Minor) Rank(string version)
    {
        var match = VersionPattern().Match(version);
        if (!match.Success)
        {
            return (3, 0, 0);
        }

        var major = int.Parse(match.Groups["major"].Value, CultureInfo.InvariantCulture);
        var minor = match.Groups["minor"].Success ? int.Parse(match.Groups["minor"].Value, CultureInfo.InvariantCulture) : 0;
        return match.Groups["stage"].Value switch
        {
            "" => (0, major, 0),
            "beta" => (1, major, minor),
            _ => (2, major, minor),
        };
    }

    [GeneratedRegex(@"^v(?<major>[0-9]+)((?<stage>alpha|beta)(?<minor>[0-9]+))?$")]
    private static partial Regex VersionPattern();
}
