using System.Text.Json.Nodes;

namespace Brokkr.Agent.Domain;

/// <summary>One document of a deployment object: its identity as written, and its body.</summary>
internal sealed record ManifestObject(int Index, string ApiVersion, string Kind, string Name, string? Namespace, JsonObject Body)
{
    public bool IsNamespace => ApiVersion == "v1" && Kind == "Namespace";

    public bool IsCustomResourceDefinition => Kind == "CustomResourceDefinition" && ApiVersion.StartsWith("apiextensions.k8s.io/", StringComparison.Ordinal);

    public override string ToString() => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
}
