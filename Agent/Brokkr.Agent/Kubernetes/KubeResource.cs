namespace Brokkr.Agent.Kubernetes;

/// <summary>One resource type as discovery describes it.</summary>
internal sealed record KubeResource(string Group, string Version, string Kind, string Plural, bool Namespaced, IReadOnlyList<string> Verbs)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public bool Can(string verb) => Verbs.Contains(verb);

    public static string GroupVersionPath(string apiVersion) => apiVersion.Contains('/') ? $"apis/{apiVersion}" : $"api/{apiVersion}";

    /// <summary>The collection: cluster-wide when <paramref name="ns"/> is null (all namespaces for a namespaced type).</summary>
    public string CollectionPath(string? ns)
        => Namespaced && ns is not null
            ? $"{GroupVersionPath(ApiVersion)}/namespaces/{Uri.EscapeDataString(ns)}/{Plural}"
            : $"{GroupVersionPath(ApiVersion)}/{Plural}";

    public string ObjectPath(string? ns, string name) => $"{CollectionPath(Namespaced ? ns : null)}/{Uri.EscapeDataString(name)}";
}
