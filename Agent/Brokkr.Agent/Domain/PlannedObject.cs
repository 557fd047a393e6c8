using System.Text.Json.Nodes;

namespace Brokkr.Agent.Domain;

/// <summary>Apply order (behaviour §14.4): namespaces, then CRDs, then everything else.</summary>
internal enum ApplyPriority
{
    Namespace = 0,
    CustomResourceDefinition = 1,
    Other = 2,
}

/// <summary>An object ready to apply: stamped body, priority, and its place in the document.</summary>
internal sealed record PlannedObject(ApplyPriority Priority, ManifestObject Source, JsonObject Body)
{
    public string ApiVersion => Source.ApiVersion;

    public string Kind => Source.Kind;

    public string Name => Source.Name;

    public override string ToString() => Source.ToString();
}

/// <summary>Where an object lives; what the applied set remembers.</summary>
internal sealed record ObjectRef(string ApiVersion, string Kind, string? Namespace, string Name)
{
    public override string ToString() => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";

    public static ObjectRef? From(JsonObject item)
    {
        var apiVersion = item["apiVersion"]?.GetValue<string>();
        var kind = item["kind"]?.GetValue<string>();
        var name = item["metadata"]?["name"]?.GetValue<string>();
        var ns = item["metadata"]?["namespace"]?.GetValue<string>();
        return apiVersion is null || kind is null || name is null ? null : new ObjectRef(apiVersion, kind, string.IsNullOrEmpty(ns) ? null : ns, name);
    }
}
