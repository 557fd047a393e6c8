using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Brokkr.FakeKube.Serialization;

internal static class KubeJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(JsonNode node) => node.ToJsonString(Options);

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Parses a request body; YAML is accepted wherever the real server accepts it (apply patches).</summary>
    public static JsonNode? ParseBody(string text, bool allowYaml)
    {
        var trimmed = text.TrimStart();
        if (trimmed.Length == 0)
        {
            return null;
        }

        if (trimmed[0] is '{' or '[' || !allowYaml)
        {
            return JsonNode.Parse(text);
        }

        return YamlToJson.Convert(text);
    }
}
