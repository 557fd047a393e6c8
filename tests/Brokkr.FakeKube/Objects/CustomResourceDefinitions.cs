using System.Globalization;
using System.Text.Json.Nodes;
using Brokkr.FakeKube.Discovery;

namespace Brokkr.FakeKube.Objects;

/// <summary>Reads the resources a CRD defines and the conditions that make them served.</summary>
internal static class CustomResourceDefinitions
{
    public static IReadOnlyList<ResourceType> TypesOf(JsonObject crd)
    {
        var spec = crd["spec"];
        var names = spec?["names"];
        var group = spec?["group"]?.ToString() ?? string.Empty;
        var plural = names?["plural"]?.ToString() ?? string.Empty;
        var kind = names?["kind"]?.ToString() ?? string.Empty;
        var singular = names?["singular"]?.ToString() is { Length: > 0 } s ? s : kind.ToLowerInvariant();
        var namespaced = spec?["scope"]?.ToString() != "Cluster";
        return (spec?["versions"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(v => Flag(v["served"]) ?? true)
            .Select(v => new ResourceType(
                group,
                v["name"]?.ToString() ?? string.Empty,
                plural,
                singular,
                kind,
                namespaced,
                Strings(names?["shortNames"]),
                v["subresources"]?["status"] is JsonObject ? ["status"] : [],
                Strings(names?["categories"]),
                TracksGeneration: true))
            .ToList();
    }

    public static bool IsEstablished(JsonObject crd) =>
        (crd["status"]?["conditions"] as JsonArray ?? [])
        .Any(c => c?["type"]?.ToString() == "Established" && c["status"]?.ToString() == "True");

    /// <summary>The status the real apiextensions controller sets once the names are accepted.</summary>
    public static JsonObject EstablishedStatus(JsonObject crd, DateTimeOffset now)
    {
        var time = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var storage = (crd["spec"]?["versions"] as JsonArray ?? [])
            .FirstOrDefault(v => Flag(v?["storage"]) == true)?["name"]?.ToString();
        return new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", time),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", time)),
            ["acceptedNames"] = crd["spec"]?["names"]?.DeepClone(),
            ["storedVersions"] = storage is null ? new JsonArray() : new JsonArray(storage),
        };
    }

    public static void Validate(JsonObject crd, string name, List<(string, string)> causes)
    {
        var spec = crd["spec"];
        var group = spec?["group"]?.ToString();
        var plural = spec?["names"]?["plural"]?.ToString();
        if (string.IsNullOrEmpty(group))
        {
            causes.Add(("spec.group", "Required value"));
        }

        if (string.IsNullOrEmpty(plural))
        {
            causes.Add(("spec.names.plural", "Required value"));
        }

        if (string.IsNullOrEmpty(spec?["names"]?["kind"]?.ToString()))
        {
            causes.Add(("spec.names.kind", "Required value"));
        }

        if (spec?["scope"]?.ToString() is not ("Namespaced" or "Cluster"))
        {
            causes.Add(("spec.scope", "Unsupported value: valid values: \"Cluster\", \"Namespaced\""));
        }

        var versions = spec?["versions"] as JsonArray ?? [];
        if (versions.Count == 0)
        {
            causes.Add(("spec.versions", "Invalid value: must have exactly one version marked as storage version"));
        }
        else if (versions.Count(v => Flag(v?["storage"]) == true) != 1)
        {
            causes.Add(("spec.versions", "Invalid value: must have exactly one version marked as storage version"));
        }

        if (group is not null && plural is not null && name != $"{plural}.{group}")
        {
            causes.Add(("metadata.name", $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group"));
        }
    }

    private static JsonObject Condition(string type, string reason, string message, string time) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = time,
        ["reason"] = reason,
        ["message"] = message,
    };

    private static bool? Flag(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(n => n?.ToString()).OfType<string>().ToList();
}
