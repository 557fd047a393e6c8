using System.Globalization;
using System.Text.Json.Nodes;

namespace Brokkr.FakeKube.Apply;

/// <summary>RFC 6902 JSON patch: add, remove, replace, test, copy and move.</summary>
internal static class JsonPatch
{
    public static JsonObject Apply(JsonObject target, JsonArray operations)
    {
        var root = (JsonObject)target.DeepClone();
        foreach (var node in operations)
        {
            if (node is not JsonObject operation)
            {
                throw new InvalidPatchException("a JSON patch must be an array of operations");
            }

            var op = operation["op"]?.GetValue<string>() ?? throw new InvalidPatchException("an operation has no \"op\"");
            var path = operation["path"]?.GetValue<string>() ?? throw new InvalidPatchException("an operation has no \"path\"");
            switch (op)
            {
                case "add":
                    Add(root, path, operation["value"]?.DeepClone());
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    Add(root, path, operation["value"]?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Resolve(root, path), operation["value"]))
                    {
                        throw new InvalidPatchException($"testing value {path} failed");
                    }

                    break;
                case "copy":
                    Add(root, path, Resolve(root, From(operation))?.DeepClone());
                    break;
                case "move":
                    var value = Resolve(root, From(operation))?.DeepClone();
                    Remove(root, From(operation));
                    Add(root, path, value);
                    break;
                default:
                    throw new InvalidPatchException($"unexpected kind of JSON patch operation: \"{op}\"");
            }
        }

        return root;
    }

    private static string From(JsonObject operation) =>
        operation["from"]?.GetValue<string>() ?? throw new InvalidPatchException("an operation has no \"from\"");

    private static void Add(JsonObject root, string pointer, JsonNode? value)
    {
        var (parent, last) = Parent(root, pointer);
        switch (parent)
        {
            case JsonObject map:
                map[last] = value;
                break;
            case JsonArray list when last == "-":
                list.Add(value);
                break;
            case JsonArray list:
                list.Insert(Index(list, last, allowEnd: true), value);
                break;
            default:
                throw new InvalidPatchException($"doc is missing path: \"{pointer}\"");
        }
    }

    private static void Remove(JsonObject root, string pointer)
    {
        var (parent, last) = Parent(root, pointer);
        switch (parent)
        {
            case JsonObject map when map.ContainsKey(last):
                map.Remove(last);
                break;
            case JsonArray list:
                list.RemoveAt(Index(list, last, allowEnd: false));
                break;
            default:
                throw new InvalidPatchException($"unable to remove nonexistent key: {last}: missing value");
        }
    }

    private static JsonNode? Resolve(JsonObject root, string pointer)
    {
        JsonNode? current = root;
        foreach (var token in Tokens(pointer))
        {
            current = current switch
            {
                JsonObject map when map.TryGetPropertyValue(token, out var child) => child,
                JsonArray list => list[Index(list, token, allowEnd: false)],
                _ => throw new InvalidPatchException($"doc is missing path: \"{pointer}\""),
            };
        }

        return current;
    }

    private static (JsonNode? Parent, string Last) Parent(JsonObject root, string pointer)
    {
        var tokens = Tokens(pointer);
        if (tokens.Count == 0)
        {
            throw new InvalidPatchException("a JSON patch may not replace the whole document");
        }

        var parentPointer = "/" + string.Join('/', tokens.Take(tokens.Count - 1).Select(Escape));
        return (tokens.Count == 1 ? root : Resolve(root, parentPointer), tokens[^1]);
    }

    private static int Index(JsonArray list, string token, bool allowEnd)
    {
        if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || index > list.Count || (!allowEnd && index == list.Count))
        {
            throw new InvalidPatchException($"index {token} is out of bounds");
        }

        return index;
    }

    private static List<string> Tokens(string pointer) =>
        pointer.Length == 0
            ? []
            : pointer.Split('/').Skip(1).Select(t => t.Replace("~1", "/").Replace("~0", "~")).ToList();

    private static string Escape(string token) => token.Replace("~", "~0").Replace("/", "~1");
}
