using System.Text.Json.Nodes;

namespace Brokkr.FakeKube.Apply;

/// <summary>Reads, writes and enumerates fields of a JSON object by <see cref="FieldPath"/>.</summary>
internal static class JsonTree
{
    /// <summary>
    /// The leaf fields of an object: scalars, lists (treated as atomic) and empty maps. Nulls are not
    /// fields: they mean "not set".
    /// </summary>
    public static HashSet<FieldPath> Leaves(JsonObject root, Func<FieldPath, bool> include)
    {
        var leaves = new HashSet<FieldPath>();
        Collect(root, FieldPath.Root, include, leaves);
        return leaves;
    }

    public static JsonNode? Get(JsonObject root, FieldPath path)
    {
        JsonNode? current = root;
        foreach (var segment in path.Segments)
        {
            if (current is not JsonObject map || !map.TryGetPropertyValue(segment, out current))
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>Sets a leaf; an empty map never replaces an existing map, since it only claims the map exists.</summary>
    public static void Set(JsonObject root, FieldPath path, JsonNode? value)
    {
        var segments = path.Segments;
        var parent = root;
        for (var i = 0; i < segments.Count - 1; i++)
        {
            if (parent[segments[i]] is not JsonObject next)
            {
                next = new JsonObject();
                parent[segments[i]] = next;
            }

            parent = next;
        }

        var last = segments[^1];
        if (value is JsonObject { Count: 0 } && parent[last] is JsonObject)
        {
            return;
        }

        parent[last] = value?.DeepClone();
    }

    /// <summary>Removes a field, then any map left empty by that, up to (not including) the top level.</summary>
    public static void Remove(JsonObject root, FieldPath path)
    {
        var segments = path.Segments;
        var chain = new List<JsonObject> { root };
        for (var i = 0; i < segments.Count - 1; i++)
        {
            if (chain[^1][segments[i]] is not JsonObject next)
            {
                return;
            }

            chain.Add(next);
        }

        chain[^1].Remove(segments[^1]);
        for (var i = chain.Count - 1; i >= 2; i--)
        {
            if (chain[i].Count > 0)
            {
                break;
            }

            chain[i - 1].Remove(segments[i - 1]);
        }
    }

    public static bool ValueEquals(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);

    private static void Collect(JsonNode? node, FieldPath path, Func<FieldPath, bool> include, HashSet<FieldPath> leaves)
    {
        if (node is null)
        {
            return;
        }

        if (node is JsonObject map && (map.Count > 0 || path.IsRoot))
        {
            foreach (var (key, child) in map)
            {
                var childPath = path.Child(key);
                if (include(childPath))
                {
                    Collect(child, childPath, include, leaves);
                }
            }

            return;
        }

        leaves.Add(path);
    }
}
