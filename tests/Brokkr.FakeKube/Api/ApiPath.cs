namespace Brokkr.FakeKube.Api;

/// <summary>
/// A resource URL: <c>/api/v1[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]]</c> or the same
/// under <c>/apis/{group}/{version}</c>.
/// </summary>
internal sealed record ApiPath(string Group, string Version, string? Namespace, string Plural, string? Name, string? Subresource)
{
    private static readonly HashSet<string> NamespaceSubresources = ["status", "finalize"];

    public static ApiPath? Parse(string path)
    {
        var segments = path.Trim('/').Split('/');
        string group;
        string[] rest;
        switch (segments)
        {
            case ["api", var version, .. var tail] when tail.Length > 0:
                group = string.Empty;
                rest = [version, .. tail];
                break;
            case ["apis", var g, var version, .. var tail] when tail.Length > 0:
                group = g;
                rest = [version, .. tail];
                break;
            default:
                return null;
        }

        var v = rest[0];
        var resource = rest[1..];
        string? ns = null;
        if (resource is ["namespaces", var n, var next, ..] && !NamespaceSubresources.Contains(next))
        {
            ns = n;
            resource = resource[2..];
        }

        if (resource.Length > 3 || resource.Any(s => s.Length == 0))
        {
            return null;
        }

        return new ApiPath(
            group,
            v,
            ns,
            resource[0],
            resource.Length > 1 ? Uri.UnescapeDataString(resource[1]) : null,
            resource.Length > 2 ? resource[2] : null);
    }
}
