using System.Globalization;
using System.Text.Json.Nodes;
using Brokkr.FakeKube.Apply;
using Brokkr.FakeKube.Hosting;
using Brokkr.FakeKube.Objects;
using Brokkr.FakeKube.Store;

namespace Brokkr.FakeKube.Api;

/// <summary>
/// The <c>scale</c> subresource (autoscaling/v1 Scale) of Deployments, StatefulSets and ReplicaSets, which
/// <c>kubectl scale</c> and autoscalers write: it reads and changes only <c>spec.replicas</c>.
/// </summary>
internal static class ScaleOperation
{
    public static async Task GetAsync(FakeKubeState state, ApiRequest request)
    {
        var name = request.Path.Name!;
        var stored = state.Store.Get(FakeKubeState.KeyOf(request.Type, request.Namespace, name))
                     ?? throw ApiException.NotFound(request.Type, name);
        await Respond.Json(request.Context, 200, Render(stored.CloneBody(), stored.ResourceVersion));
    }

    public static async Task UpdateAsync(FakeKubeState state, ApiRequest request)
    {
        var name = request.Path.Name!;
        var body = await request.ReadBodyAsync(allowYaml: false);
        var stored = new ObjectWriter(state).Patch(
            request.Type, request.Namespace, name, "scale", request.Manager, request.DryRun, live =>
            {
                var current = Render(live, 0);
                var desired = (request.Context.Request.Method, request.MediaType, body) switch
                {
                    ("PUT", _, JsonObject scale) => scale,
                    (_, WriteOperations.JsonPatchType, JsonArray operations) => JsonPatch.Apply(current, operations),
                    (_, _, JsonObject patch) => MergePatch.Apply(current, patch),
                    _ => throw ApiException.BadRequest("expected a Scale object or a patch of one"),
                };
                var replicas = desired["spec"]?["replicas"] is JsonValue value && value.TryGetValue<long>(out var count) && count >= 0
                    ? count
                    : throw ApiException.Invalid(request.Type, name, [("spec.replicas", "Invalid value: must be greater than or equal to 0")]);
                var updated = (JsonObject)live.DeepClone();
                if (updated["spec"] is not JsonObject spec)
                {
                    spec = new JsonObject();
                    updated["spec"] = spec;
                }

                spec["replicas"] = replicas;
                return updated;
            });
        await Respond.Json(request.Context, 200, Render(stored.CloneBody(), stored.ResourceVersion));
    }

    private static JsonObject Render(JsonObject workload, long version)
    {
        var metadata = workload["metadata"];
        var labels = workload["spec"]?["selector"]?["matchLabels"] as JsonObject ?? [];
        var scaleMetadata = new JsonObject
        {
            ["name"] = metadata?["name"]?.DeepClone(),
            ["namespace"] = metadata?["namespace"]?.DeepClone(),
            ["uid"] = metadata?["uid"]?.DeepClone(),
            ["creationTimestamp"] = metadata?["creationTimestamp"]?.DeepClone(),
        };
        if (version > 0)
        {
            scaleMetadata["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture);
        }

        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = scaleMetadata,
            ["spec"] = new JsonObject { ["replicas"] = workload["spec"]?["replicas"]?.DeepClone() ?? 1 },
            ["status"] = new JsonObject
            {
                ["replicas"] = workload["status"]?["replicas"]?.DeepClone() ?? 0,
                ["selector"] = string.Join(',', labels.Select(l => $"{l.Key}={l.Value}")),
            },
        };
    }
}
