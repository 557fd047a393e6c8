using System.Text.Json.Nodes;
using Brokkr.FakeKube.Apply;

namespace Brokkr.FakeKube.Store;

/// <summary>
/// One stored object. <see cref="Body"/> is read only under the store's lock (a parsed JSON tree is not
/// safe to read from several threads); everything else uses the frozen <see cref="Json"/>.
/// </summary>
internal sealed record StoredObject(
    string TypeKey,
    string Namespace,
    string Name,
    string Uid,
    string ApiVersion,
    long ResourceVersion,
    JsonObject Body,
    string Json,
    IReadOnlyList<ManagedEntry> Managers)
{
    public IReadOnlyDictionary<string, string> Labels => StringMap(Body["metadata"]?["labels"]);

    public IEnumerable<string> OwnerUids =>
        (Body["metadata"]?["ownerReferences"] as JsonArray ?? [])
        .Select(r => r?["uid"]?.GetValue<string>())
        .OfType<string>();

    public JsonObject CloneBody() => JsonNode.Parse(Json)!.AsObject();

    private static Dictionary<string, string> StringMap(JsonNode? node)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                map[key] = value?.ToString() ?? string.Empty;
            }
        }

        return map;
    }
}
