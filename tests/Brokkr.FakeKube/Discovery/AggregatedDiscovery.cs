using System.Text.Json.Nodes;

namespace Brokkr.FakeKube.Discovery;

/// <summary>
/// Aggregated discovery (apidiscovery.k8s.io/v2): every group, version and resource in one document
/// per root (/api, /apis), which kubectl 1.32 asks for first and which spares it a request per group.
/// </summary>
internal static class AggregatedDiscovery
{
    public const string ContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    public static bool Wanted(HttpContext context) =>
        context.Request.Headers.Accept.ToString()
            .Split(',')
            .Any(a => a.Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal) && a.Contains("v=v2", StringComparison.Ordinal)
                      && !a.Contains("v=v2beta1", StringComparison.Ordinal));

    public static JsonObject Core(ResourceRegistry registry) =>
        List([Group(string.Empty, registry.All.Where(t => t.Group.Length == 0).ToList())]);

    public static JsonObject Groups(ResourceRegistry registry) =>
        List(registry.Groups().Select(g => Group(g.Group, registry.All.Where(t => t.Group == g.Group).ToList())).ToList());

    private static JsonObject List(IReadOnlyList<JsonObject> items) => new()
    {
        ["kind"] = "APIGroupDiscoveryList",
        ["apiVersion"] = "apidiscovery.k8s.io/v2",
        ["metadata"] = new JsonObject(),
        ["items"] = new JsonArray(items.Select(i => (JsonNode)i).ToArray()),
    };

    private static JsonObject Group(string name, IReadOnlyList<ResourceType> types)
    {
        var versions = types.Select(t => t.Version).Distinct().Order(KubeVersionOrder.Instance).Select(version => (JsonNode)new JsonObject
        {
            ["version"] = version,
            ["resources"] = new JsonArray(types.Where(t => t.Version == version).Select(t => (JsonNode)Resource(t)).ToArray()),
            ["freshness"] = "Current",
        });
        var group = new JsonObject { ["metadata"] = new JsonObject() };
        if (name.Length > 0)
        {
            group["metadata"]!["name"] = name;
        }

        group["versions"] = new JsonArray(versions.ToArray());
        return group;
    }

    private static JsonObject Resource(ResourceType type)
    {
        var resource = new JsonObject
        {
            ["resource"] = type.Plural,
            ["responseKind"] = Kind(type),
            ["scope"] = type.Namespaced ? "Namespaced" : "Cluster",
            ["singularResource"] = type.Singular,
            ["verbs"] = Strings(DiscoveryDocuments.VerbsOf(type)),
        };
        if (type.ShortNames.Count > 0)
        {
            resource["shortNames"] = Strings(type.ShortNames);
        }

        if (type.Categories.Count > 0)
        {
            resource["categories"] = Strings(type.Categories);
        }

        if (type.Subresources.Count > 0)
        {
            resource["subresources"] = new JsonArray(type.Subresources.Select(sub => (JsonNode)new JsonObject
            {
                ["subresource"] = sub,
                ["responseKind"] = DiscoveryDocuments.SubresourceKind(sub) is { } other
                    ? new JsonObject { ["group"] = other.Group, ["version"] = other.Version, ["kind"] = other.Kind }
                    : Kind(type),
                ["verbs"] = Strings(DiscoveryDocuments.SubresourceVerbs(sub)),
            }).ToArray());
        }

        return resource;
    }

    private static JsonObject Kind(ResourceType type) => new() { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind };

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());
}
