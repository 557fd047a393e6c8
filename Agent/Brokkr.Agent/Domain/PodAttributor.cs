using System.Text.Json.Nodes;

namespace Brokkr.Agent.Domain;

/// <summary>
/// Which deployment object a pod belongs to (behaviour §8, the shared pod attributor): the pod's own
/// <c>brokkr.io/deployment-object-id</c> label or annotation, else the first object up the controller
/// ownerReference chain (at most 4 levels: Pod, ReplicaSet, Deployment, ...) that carries that annotation.
/// </summary>
internal static class PodAttributor
{
    public const int MaxDepth = 4;

    /// <param name="owner">Looks up a controller owner (apiVersion, kind, namespace, name); null when it is gone.</param>
    public static async Task<string?> AttributeAsync(JsonObject pod, Func<string, string, string?, string, Task<JsonObject?>> owner)
    {
        var current = pod;
        for (var depth = 0; depth <= MaxDepth; depth++)
        {
            var metadata = current["metadata"];
            var id = Text(metadata?["labels"]?[BrokkrMetadata.DeploymentObjectAnnotation]) ?? Text(metadata?["annotations"]?[BrokkrMetadata.DeploymentObjectAnnotation]);
            if (id is not null)
            {
                return id;
            }

            var controller = (metadata?["ownerReferences"] as JsonArray)?.OfType<JsonObject>()
                .FirstOrDefault(r => r["controller"] is JsonValue v && v.TryGetValue<bool>(out var isController) && isController);
            if (controller is null || depth == MaxDepth)
            {
                return null;
            }

            var next = await owner(Text(controller["apiVersion"]) ?? "v1", Text(controller["kind"]) ?? string.Empty, Text(metadata?["namespace"]), Text(controller["name"]) ?? string.Empty);
            if (next is null)
            {
                return null;
            }

            current = next;
        }

        return null;
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
