using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Brokkr.FakeKube.Discovery;

/// <summary>
/// A minimal OpenAPI v3 tree: per group-version, the PATCH operation of each kind with its
/// <c>fieldValidation</c> parameter. That is what kubectl reads to decide the server validates fields, so
/// that <c>kubectl apply</c> works with its default <c>--validate=strict</c> (there are no schemas).
/// </summary>
internal static class OpenApiDocuments
{
    public static JsonObject Root(ResourceRegistry registry)
    {
        var paths = new JsonObject();
        foreach (var (group, version) in registry.All.Select(t => (t.Group, t.Version)).Distinct())
        {
            var path = ApiPrefix(group, version).TrimStart('/');
            paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={Hash(registry, path)}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject? GroupVersion(ResourceRegistry registry, string group, string version, string serverVersion)
    {
        var types = registry.All.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        foreach (var type in types)
        {
            var collection = ApiPrefix(group, version) + (type.Namespaced ? "/namespaces/{namespace}/" : "/") + type.Plural;
            paths[collection + "/{name}"] = new JsonObject { ["patch"] = PatchOperation(type) };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = serverVersion },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private static JsonObject PatchOperation(ResourceType type)
    {
        var parameters = new JsonArray();
        foreach (var name in new[] { "dryRun", "fieldManager", "fieldValidation", "force" })
        {
            parameters.Add(new JsonObject
            {
                ["name"] = name,
                ["in"] = "query",
                ["schema"] = new JsonObject { ["type"] = name == "force" ? "boolean" : "string", ["uniqueItems"] = true },
            });
        }

        return new JsonObject
        {
            ["operationId"] = $"patch{type.Kind}",
            ["parameters"] = parameters,
            ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
            ["x-kubernetes-action"] = "patch",
            ["x-kubernetes-group-version-kind"] = new JsonObject
            {
                ["group"] = type.Group,
                ["version"] = type.Version,
                ["kind"] = type.Kind,
            },
        };
    }

    private static string ApiPrefix(string group, string version) => group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";

    /// <summary>Changes with the served resources, so that clients caching by hash see new CRDs.</summary>
    private static string Hash(ResourceRegistry registry, string path)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{path}#{registry.Revision}"));
        return Convert.ToHexString(bytes)[..32];
    }
}
