using System.Text.Json.Nodes;

namespace Brokkr.FakeKube.Apply;

/// <summary>
/// Strategic merge patch for the built-in kinds: a JSON merge patch in which associative lists (see
/// <see cref="BuiltinListKeys"/>) merge item by item and <c>{"$patch":"delete"}</c> items remove theirs.
/// Other directives (<c>$setElementOrder</c>, <c>$retainKeys</c>, <c>$deleteFromPrimitiveList</c>) are ignored.
/// </summary>
internal static class StrategicMergePatch
{
    private const string Directive = "$patch";

    public static JsonObject Apply(JsonObject target, JsonObject patch, ListKeys keysOf)
    {
        var result = (JsonObject)target.DeepClone();
        Merge(result, patch, FieldPath.Root, keysOf);
        return result;
    }

    private static void Merge(JsonObject target, JsonObject patch, FieldPath path, ListKeys keysOf)
    {
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith('$'))
            {
                continue;
            }

            var childPath = path.Child(key);
            switch (value)
            {
                case null:
                    target.Remove(key);
                    break;
                case JsonObject map when map[Directive]?.ToString() == "delete":
                    target.Remove(key);
                    break;
                case JsonObject map when map[Directive]?.ToString() == "replace":
                    target[key] = WithoutDirectives(map);
                    break;
                case JsonObject map:
                    if (target[key] is not JsonObject nested)
                    {
                        nested = new JsonObject();
                        target[key] = nested;
                    }

                    Merge(nested, map, childPath, keysOf);
                    break;
                case JsonArray list when target[key] is JsonArray existing && keysOf(childPath, list) is { } keys:
                    MergeItems(existing, list, keys, childPath, keysOf);
                    break;
                default:
                    target[key] = value.DeepClone();
                    break;
            }
        }
    }

    private static void MergeItems(JsonArray target, JsonArray patch, IReadOnlyList<string> keys, FieldPath path, ListKeys keysOf)
    {
        foreach (var item in patch.OfType<JsonObject>())
        {
            var segment = ItemKey.Segment(item, keys);
            var match = ItemKey.Find(target, segment);
            if (item[Directive]?.ToString() == "delete")
            {
                if (match is not null)
                {
                    target.Remove(match);
                }
            }
            else if (match is not null)
            {
                Merge(match, item, path.Child(segment), keysOf);
            }
            else
            {
                target.Add(WithoutDirectives(item));
            }
        }
    }

    private static JsonObject WithoutDirectives(JsonObject map)
    {
        var copy = (JsonObject)map.DeepClone();
        foreach (var key in copy.Select(p => p.Key).Where(k => k.StartsWith('$')).ToList())
        {
            copy.Remove(key);
        }

        return copy;
    }
}
