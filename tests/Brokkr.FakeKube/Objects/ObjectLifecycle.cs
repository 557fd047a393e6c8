using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Brokkr.FakeKube.Discovery;

namespace Brokkr.FakeKube.Objects;

/// <summary>What the server sets on create and keeps on update: identity, timestamps, generation, status.</summary>
internal static class ObjectLifecycle
{
    public static JsonObject PrepareCreate(ResourceType type, JsonObject input, string ns, DateTimeOffset now, FakeKubeOptions options)
    {
        var body = (JsonObject)input.DeepClone();
        body["apiVersion"] = type.GroupVersion;
        body["kind"] = type.Kind;
        var metadata = Metadata(body);
        if (string.IsNullOrEmpty(metadata["name"]?.ToString()) && metadata["generateName"]?.ToString() is { Length: > 0 } prefix)
        {
            metadata["name"] = prefix + Guid.NewGuid().ToString("N")[..5];
        }

        SetNamespace(type, metadata, ns);
        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Timestamp(now);
        metadata.Remove("resourceVersion");
        metadata.Remove("managedFields");
        metadata.Remove("deletionTimestamp");
        if (type.TracksGeneration)
        {
            metadata["generation"] = 1L;
        }
        else
        {
            metadata.Remove("generation");
        }

        if (type.HasStatusSubresource)
        {
            body.Remove("status");
        }

        ApplyTypeDefaults(type, body, now, options);
        return body;
    }

    /// <summary>A write to the main resource or to its status subresource, given the live object.</summary>
    public static JsonObject PrepareUpdate(ResourceType type, JsonObject live, JsonObject input, string subresource)
    {
        JsonObject body;
        if (subresource == "status")
        {
            body = (JsonObject)live.DeepClone();
            body.Remove("status");
            if (input["status"] is { } status)
            {
                body["status"] = status.DeepClone();
            }

            return body;
        }

        body = (JsonObject)input.DeepClone();
        body["apiVersion"] = type.GroupVersion;
        body["kind"] = type.Kind;
        var metadata = Metadata(body);
        var liveMetadata = Metadata(live);
        foreach (var kept in new[] { "name", "namespace", "uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds" })
        {
            metadata[kept] = liveMetadata[kept]?.DeepClone();
            if (metadata[kept] is null)
            {
                metadata.Remove(kept);
            }
        }

        metadata.Remove("resourceVersion");
        metadata.Remove("managedFields");
        if (type.HasStatusSubresource)
        {
            body["status"] = live["status"]?.DeepClone();
            if (body["status"] is null)
            {
                body.Remove("status");
            }
        }

        if (type.TracksGeneration && !JsonNode.DeepEquals(Desired(live), Desired(body)))
        {
            metadata["generation"] = (liveMetadata["generation"] is { } generation ? long.Parse(generation.ToJsonString(), CultureInfo.InvariantCulture) : 0) + 1;
        }

        EncodeStringData(type, body);
        return body;
    }

    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static JsonObject Metadata(JsonObject body)
    {
        if (body["metadata"] is not JsonObject metadata)
        {
            metadata = new JsonObject();
            body["metadata"] = metadata;
        }

        return metadata;
    }

    /// <summary>The real server silently drops a namespace given to a cluster-scoped object.</summary>
    private static void SetNamespace(ResourceType type, JsonObject metadata, string ns)
    {
        if (type.Namespaced)
        {
            metadata["namespace"] = ns;
        }
        else
        {
            metadata.Remove("namespace");
        }
    }

    private static void ApplyTypeDefaults(ResourceType type, JsonObject body, DateTimeOffset now, FakeKubeOptions options)
    {
        switch (type.Plural)
        {
            case "namespaces" when type.Group.Length == 0:
                body["status"] = new JsonObject { ["phase"] = "Active" };
                break;
            case "pods" when type.Group.Length == 0:
                body["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };
                break;
            case "secrets" when type.Group.Length == 0:
                body["type"] ??= "Opaque";
                break;
            case "customresourcedefinitions" when type.Group == BuiltinResources.CrdGroup && options.EstablishCrds:
                body["status"] = CustomResourceDefinitions.EstablishedStatus(body, now);
                break;
        }

        EncodeStringData(type, body);
    }

    /// <summary>Secrets take <c>stringData</c> as a write-only convenience, stored base64-encoded in <c>data</c>.</summary>
    private static void EncodeStringData(ResourceType type, JsonObject body)
    {
        if (type is not { Plural: "secrets", Group: "" } || body["stringData"] is not JsonObject stringData)
        {
            return;
        }

        if (body["data"] is not JsonObject data)
        {
            data = new JsonObject();
            body["data"] = data;
        }

        foreach (var (key, value) in stringData)
        {
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.ToString() ?? string.Empty));
        }

        body.Remove("stringData");
    }

    private static JsonObject Desired(JsonObject body)
    {
        var copy = (JsonObject)body.DeepClone();
        copy.Remove("metadata");
        copy.Remove("status");
        return copy;
    }
}
