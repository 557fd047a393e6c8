using System.Text.Json.Nodes;

namespace Brokkr.FakeKube.Apply;

/// <summary>
/// Reads, writes and enumerates the fields of a JSON object by <see cref="FieldPath"/>, where a path
/// step is a map key or, in an associative list, an item key such as <c>k:{"name":"web"}</c>.
/// </summary>
internal static class JsonTree
{
    /// <summary>
    /// The leaf fields of an object, in document order: scalars, atomic lists and empty maps. Items of
    /// associative lists are descended into, and their key fields count as leaves, so that whoever owns
    /// anything in an item also keeps the item's identity. Nulls are not fields: they mean "not set".
    /// </summary>
    public static List<FieldPath> Leaves(JsonObject root, FieldSchema schema)
    {
        var leaves = new List<FieldPath>();
        Collect(root, FieldPath.Root, schema, leaves);
        return leaves;
    }

    public static JsonNode? Get(JsonObject root, FieldPath path)
    {
        JsonNode? current = root;
        foreach (var segment in path.Segments)
        {
            current = Step(current, segment);
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>Sets a leaf, creating maps and list items on the way; an empty map never replaces an existing map.</summary>
    public static void Set(JsonObject root, FieldPath path, JsonNode? value)
    {
        var segments = path.Segments;
        JsonNode parent = root;
        for (var i = 0; i < segments.Count - 1; i++)
        {
            parent = StepOrCreate(parent, segments[i], ItemKey.IsItem(segments[i + 1]));
        }

        var last = segments[^1];
        if (parent is not JsonObject map)
        {
            return;
        }

        if (value is JsonObject { Count: 0 } && map[last] is JsonObject)
        {
            return;
        }

        map[last] = value?.DeepClone();
    }

    /// <summary>Removes a field, then any map, list item or list left empty by that, below the top level.</summary>
    public static void Remove(JsonObject root, FieldPath path)
    {
        var segments = path.Segments;
        var chain = new List<JsonNode> { root };
        for (var i = 0; i < segments.Count - 1; i++)
        {
            var next = Step(chain[^1], segments[i]);
            if (next is null)
            {
                return;
            }

            chain.Add(next);
        }

        Detach(chain[^1], segments[^1]);
        for (var i = chain.Count - 1; i >= 2; i--)
        {
            var empty = chain[i] switch
            {
                JsonObject map => map.Count == 0,
                JsonArray list => list.Count == 0,
                _ => false,
            };
            if (!empty)
            {
                break;
            }

            // By reference: an item emptied of its key fields no longer matches its key.
            if (chain[i - 1] is JsonArray parentList)
            {
                parentList.Remove(chain[i]);
            }
            else
            {
                Detach(chain[i - 1], segments[i - 1]);
            }
        }
    }

    public static bool ValueEquals(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);

    private static JsonNode? Step(JsonNode? node, string segment) => node switch
    {
        JsonArray list when ItemKey.IsItem(segment) => ItemKey.Find(list, segment),
        JsonObject map when !ItemKey.IsItem(segment) => map[segment],
        _ => null,
    };

    private static JsonNode StepOrCreate(JsonNode node, string segment, bool nextIsItem)
    {
        if (node is JsonArray list && ItemKey.IsItem(segment))
        {
            if (ItemKey.Find(list, segment) is { } found)
            {
                return found;
            }

            var item = ItemKey.Fields(segment);
            list.Add(item);
            return item;
        }

        var map = (JsonObject)node;
        var existing = map[segment];
        if (nextIsItem ? existing is JsonArray : existing is JsonObject)
        {
            return existing!;
        }

        JsonNode created = nextIsItem ? new JsonArray() : new JsonObject();
        map[segment] = created;
        return created;
    }

    private static void Detach(JsonNode parent, string segment)
    {
        switch (parent)
        {
            case JsonArray list when ItemKey.IsItem(segment) && ItemKey.Find(list, segment) is { } item:
                list.Remove(item);
                break;
            case JsonObject map:
                map.Remove(segment);
                break;
        }
    }

    private static void Collect(JsonNode? node, FieldPath path, FieldSchema schema, List<FieldPath> leaves)
    {
        switch (node)
        {
            case null:
                return;
            case JsonObject map when map.Count > 0 || path.IsRoot:
                foreach (var (key, child) in map)
                {
                    var childPath = path.Child(key);
                    if (schema.Includes(childPath))
                    {
                        Collect(child, childPath, schema, leaves);
                    }
                }

                return;
            case JsonArray list when schema.KeysOf(path, list) is { } keys:
                foreach (var item in list.OfType<JsonObject>())
                {
                    Collect(item, path.Child(ItemKey.Segment(item, keys)), schema, leaves);
                }

                return;
            default:
                leaves.Add(path);
                return;
        }
    }
}
