using System.Text.Json.Nodes;
using Brokkr.FakeKube.Discovery;

namespace Brokkr.FakeKube.Api;

/// <summary>The consistency checks between a request body and its URL that the real server makes before anything else.</summary>
internal static class ObjectChecks
{
    public static void KindMatches(ResourceType type, JsonObject body, bool required)
    {
        var kind = body["kind"]?.ToString();
        var apiVersion = body["apiVersion"]?.ToString();
        if (required && (string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(apiVersion)))
        {
            throw ApiException.BadRequest($"Object 'Kind' is missing in '{body.ToJsonString()}'");
        }

        if (!string.IsNullOrEmpty(kind) && kind != type.Kind)
        {
            throw ApiException.BadRequest($"the kind in the body ({kind}) does not match the kind on the URL ({type.Kind})");
        }

        if (!string.IsNullOrEmpty(apiVersion) && ResourceRegistry.SplitApiVersion(apiVersion).Group != type.Group)
        {
            throw ApiException.BadRequest(
                $"the API version in the data ({apiVersion}) does not match the expected API version ({type.GroupVersion})");
        }
    }

    /// <summary>Fills a missing name or namespace from the URL and rejects a different one.</summary>
    public static void IdentityMatches(ApiRequest request, JsonObject body)
    {
        if (body["metadata"] is not JsonObject metadata)
        {
            metadata = new JsonObject();
            body["metadata"] = metadata;
        }

        var name = metadata["name"]?.ToString();
        if (request.Path.Name is { } urlName)
        {
            if (!string.IsNullOrEmpty(name) && name != urlName)
            {
                throw ApiException.BadRequest($"the name of the object ({name}) does not match the name on the URL ({urlName})");
            }

            metadata["name"] = urlName;
        }

        var ns = metadata["namespace"]?.ToString();
        if (request.Type.Namespaced && !string.IsNullOrEmpty(ns) && ns != request.Namespace)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }
}
