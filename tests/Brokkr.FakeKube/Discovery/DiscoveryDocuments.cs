using System.Text.Json.Nodes;

namespace Brokkr.FakeKube.Discovery;

/// <summary>
/// The legacy discovery documents. When aggregated discovery is switched off, the server answers requests
/// for it with these as plain application/json, which client-go takes as "not aggregated" and falls back on.
/// </summary>
internal static class DiscoveryDocuments
{
    public static JsonObject Version(FakeKubeOptions options)
    {
        var parts = options.GitVersion.TrimStart('v').Split('.', '-', '+');
        return new JsonObject
        {
            ["major"] = parts[0],
            ["minor"] = parts.Length > 1 ? parts[1] : "0",
            ["gitVersion"] = options.GitVersion,
            ["gitCommit"] = "0000000000000000000000000000000000000000",
            ["gitTreeState"] = "clean",
            ["buildDate"] = "2025-01-01T00:00:00Z",
            ["goVersion"] = "go1.23.6",
            ["compiler"] = "gc",
            ["platform"] = "linux/amd64",
        };
    }

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject
        {
            ["clientCIDR"] = "0.0.0.0/0",
            ["serverAddress"] = serverAddress,
        }),
    };

    public static JsonObject GroupList(ResourceRegistry registry) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(registry.Groups().Select(g => (JsonNode)Group(g.Group, g.Versions)).ToArray()),
    };

    public static JsonObject? Group(ResourceRegistry registry, string group)
    {
        var match = registry.Groups().FirstOrDefault(g => g.Group == group);
        return match.Group is null ? null : Group(match.Group, match.Versions);
    }

    public static JsonObject? ResourceList(ResourceRegistry registry, string group, string version)
    {
        var types = registry.All.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var type in types)
        {
            resources.Add(Resource(type));
            foreach (var sub in type.Subresources)
            {
                var entry = new JsonObject
                {
                    ["name"] = $"{type.Plural}/{sub}",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = type.Namespaced,
                };
                if (SubresourceKind(sub) is { } other)
                {
                    entry["group"] = other.Group;
                    entry["version"] = other.Version;
                }

                entry["kind"] = SubresourceKind(sub)?.Kind ?? type.Kind;
                entry["verbs"] = new JsonArray(SubresourceVerbs(sub).Select(v => (JsonNode)v).ToArray());
                resources.Add(entry);
            }
        }

        var list = new JsonObject { ["kind"] = "APIResourceList" };
        if (group.Length > 0)
        {
            list["apiVersion"] = "v1";
        }

        list["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}";
        list["resources"] = resources;
        return list;
    }

    public static IEnumerable<string> VerbsOf(ResourceType type) =>
        type.Plural == "namespaces" ? ResourceType.AllVerbs.Where(v => v != "deletecollection") : ResourceType.AllVerbs;

    public static IReadOnlyList<string> SubresourceVerbs(string subresource) =>
        subresource == "log" ? ["get"] : ["get", "patch", "update"];

    /// <summary>What a subresource answers with, when not the resource's own kind.</summary>
    public static (string Group, string Version, string Kind)? SubresourceKind(string subresource) =>
        subresource == "scale" ? ("autoscaling", "v1", "Scale") : null;

    private static JsonObject Resource(ResourceType type)
    {
        var verbs = VerbsOf(type);
        var resource = new JsonObject
        {
            ["name"] = type.Plural,
            ["singularName"] = type.Singular,
            ["namespaced"] = type.Namespaced,
            ["kind"] = type.Kind,
            ["verbs"] = new JsonArray(verbs.Select(v => (JsonNode)v).ToArray()),
        };
        if (type.ShortNames.Count > 0)
        {
            resource["shortNames"] = new JsonArray(type.ShortNames.Select(s => (JsonNode)s).ToArray());
        }

        if (type.Categories.Count > 0)
        {
            resource["categories"] = new JsonArray(type.Categories.Select(s => (JsonNode)s).ToArray());
        }

        return resource;
    }

    private static JsonObject Group(string name, IReadOnlyList<string> versions)
    {
        JsonObject Version(string v) => new() { ["groupVersion"] = $"{name}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["name"] = name,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode)Version(v)).ToArray()),
            ["preferredVersion"] = Version(versions[0]),
        };
    }
}
