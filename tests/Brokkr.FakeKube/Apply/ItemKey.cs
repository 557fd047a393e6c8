using System.Text.Json.Nodes;

namespace Brokkr.FakeKube.Apply;

/// <summary>
/// The path segment naming one item of an associative list, in the managedFields form
/// <c>k:{"name":"web"}</c>. Map keys cannot start so: label and data keys allow no braces.
/// </summary>
internal static class ItemKey
{
    private const string Prefix = "k:{";

    public static bool IsItem(string segment) => segment.StartsWith(Prefix, StringComparison.Ordinal);

    public static string Segment(JsonObject item, IReadOnlyList<string> keys)
    {
        var key = new JsonObject();
        foreach (var name in keys)
        {
            key[name] = item[name]?.DeepClone();
        }

        return "k:" + key.ToJsonString();
    }

    public static JsonObject Fields(string segment) => JsonNode.Parse(segment[2..])!.AsObject();

    public static JsonObject? Find(JsonArray list, string segment)
    {
        var key = Fields(segment);
        return list.OfType<JsonObject>().FirstOrDefault(item => key.All(k => JsonNode.DeepEquals(item[k.Key], k.Value)));
    }

    /// <summary>The form conflict messages use: <c>[name="web"]</c>.</summary>
    public static string Display(string segment) =>
        "[" + string.Join(",", Fields(segment).Select(k => $"{k.Key}={k.Value?.ToJsonString()}")) + "]";
}
