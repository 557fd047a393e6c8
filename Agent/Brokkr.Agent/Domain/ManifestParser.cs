using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Brokkr.Agent.Domain;

/// <summary>
/// A deployment object's <c>yaml_content</c> to objects (behaviour §14.4): every document in order,
/// empty documents skipped; each must be a mapping with <c>apiVersion</c>, <c>kind</c> and
/// <c>metadata.name</c>.
/// </summary>
internal static class ManifestParser
{
    public static IReadOnlyList<ManifestObject> Parse(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ManifestException($"invalid YAML: {e.Message}", e);
        }

        var objects = new List<ManifestObject>();
        foreach (var document in stream.Documents)
        {
            var node = YamlToJson.Convert(document.RootNode);
            if (node is null)
            {
                continue;
            }

            if (node is not JsonObject body)
            {
                throw new ManifestException($"document {objects.Count + 1} is not a mapping");
            }

            var apiVersion = Text(body["apiVersion"]) ?? throw new ManifestException($"document {objects.Count + 1} has no apiVersion");
            var kind = Text(body["kind"]) ?? throw new ManifestException($"document {objects.Count + 1} ({apiVersion}) has no kind");
            var metadata = body["metadata"] as JsonObject;
            var name = Text(metadata?["name"]) ?? throw new ManifestException($"document {objects.Count + 1} ({kind}) has no metadata.name");
            var ns = Text(metadata?["namespace"]);
            objects.Add(new ManifestObject(objects.Count, apiVersion, kind, name, string.IsNullOrEmpty(ns) ? null : ns, body));
        }

        return objects;
    }

    private static string? Text(JsonNode? node)
        => node is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;
}
