using System.Text.Json.Nodes;
using Brokkr.FakeKube.Discovery;
using Brokkr.FakeKube.Serialization;

namespace Brokkr.FakeKube.Api;

/// <summary>A resource request resolved against the served resources, with its query options.</summary>
internal sealed class ApiRequest(HttpContext context, ApiPath path, ResourceType type)
{
    public HttpContext Context { get; } = context;

    public ApiPath Path { get; } = path;

    public ResourceType Type { get; } = type;

    public string? Namespace => Type.Namespaced ? Path.Namespace : null;

    public string Subresource => Path.Subresource ?? string.Empty;

    public bool DryRun => Query("dryRun") == "All";

    public bool Force => Query("force") is "true" or "1";

    public string? Query(string name) => Context.Request.Query.TryGetValue(name, out var value) ? value.ToString() : null;

    public string MediaType => (Context.Request.ContentType ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant();

    /// <summary>The fieldManager query parameter, else what the real server derives from the user agent.</summary>
    public string Manager
    {
        get
        {
            if (Query("fieldManager") is { Length: > 0 } manager)
            {
                return manager;
            }

            var agent = Context.Request.Headers.UserAgent.ToString();
            var slash = agent.IndexOf('/');
            return slash > 0 ? agent[..slash] : agent.Length > 0 ? agent : "unknown";
        }
    }

    /// <summary>
    /// Reads a JSON (or YAML) body. Protobuf and CBOR bodies, which typed client-go clients such as
    /// <c>kubectl create configmap</c> send, are refused with 415: decoding them needs the schemas.
    /// </summary>
    public async Task<JsonNode> ReadBodyAsync(bool allowYaml)
    {
        if (MediaType.Contains("protobuf", StringComparison.Ordinal) || MediaType.Contains("cbor", StringComparison.Ordinal))
        {
            throw ApiException.UnsupportedMediaType(MediaType);
        }

        using var reader = new StreamReader(Context.Request.Body);
        var text = await reader.ReadToEndAsync(Context.RequestAborted);
        try
        {
            return KubeJson.ParseBody(text, allowYaml || MediaType.Contains("yaml", StringComparison.Ordinal))
                   ?? throw ApiException.BadRequest("the request body is empty");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or YamlDotNet.Core.YamlException)
        {
            throw ApiException.BadRequest($"error decoding the request body: {e.Message}");
        }
    }

    public async Task<JsonObject> ReadObjectAsync(bool allowYaml = false) =>
        await ReadBodyAsync(allowYaml) as JsonObject ?? throw ApiException.BadRequest("the request body must be an object");
}
