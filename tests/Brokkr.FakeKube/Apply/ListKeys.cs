using System.Text.Json.Nodes;

namespace Brokkr.FakeKube.Apply;

/// <summary>The key fields of a list whose items are merged by key rather than replaced whole, or null for an atomic list.</summary>
internal delegate IReadOnlyList<string>? ListKeys(FieldPath listPath, JsonArray list);

/// <summary>
/// The associative lists of the built-in kinds (their <c>x-kubernetes-list-map-keys</c>), recognised by field
/// name since the fake has no schemas. Ports are keyed by port number alone (the real key adds the defaulted
/// protocol). A list whose items lack the key, or repeat one, is treated as atomic.
/// </summary>
internal static class BuiltinListKeys
{
    public static readonly ListKeys Atomic = (_, _) => null;

    public static IReadOnlyList<string>? Of(FieldPath listPath, JsonArray list)
    {
        string[]? keys = listPath.Segments[^1] switch
        {
            "containers" or "initContainers" or "ephemeralContainers" or "volumes" or "imagePullSecrets" or "env" => ["name"],
            "volumeMounts" => ["mountPath"],
            "ownerReferences" => ["uid"],
            "conditions" => ["type"],
            "ports" when list.FirstOrDefault() is JsonObject first && first.ContainsKey("containerPort") => ["containerPort"],
            "ports" => ["port"],
            _ => null,
        };
        if (keys is null || list.Count == 0)
        {
            return null;
        }

        var identities = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list)
        {
            if (item is not JsonObject map || keys.Any(k => map[k] is not JsonValue) || !identities.Add(ItemKey.Segment(map, keys)))
            {
                return null;
            }
        }

        return keys;
    }
}
