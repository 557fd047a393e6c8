using System.Text.Json.Nodes;
using Brokkr.FakeKube.Apply;
using Brokkr.FakeKube.Discovery;
using Brokkr.FakeKube.Hosting;
using Brokkr.FakeKube.Objects;

namespace Brokkr.FakeKube.Api;

/// <summary>
/// POST, PUT and PATCH over HTTP: body parsing and URL checks, then <see cref="ObjectWriter"/>. As on the real
/// server, strategic merge patch is refused for custom resources.
/// </summary>
internal static class WriteOperations
{
    public const string ApplyPatch = "application/apply-patch+yaml";
    public const string MergePatchType = "application/merge-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";
    public const string JsonPatchType = "application/json-patch+json";

    public static async Task CreateAsync(FakeKubeState state, ApiRequest request)
    {
        var input = await request.ReadObjectAsync();
        ObjectChecks.KindMatches(request.Type, input, required: false);
        ObjectChecks.IdentityMatches(request, input);
        var stored = new ObjectWriter(state).Create(request.Type, request.Namespace, input, request.Manager, request.DryRun);
        await Respond.Json(request.Context, 201, FakeKubeState.Render(stored, request.Type));
    }

    public static async Task ReplaceAsync(FakeKubeState state, ApiRequest request)
    {
        var input = await request.ReadObjectAsync();
        ObjectChecks.KindMatches(request.Type, input, required: false);
        ObjectChecks.IdentityMatches(request, input);
        var stored = new ObjectWriter(state).Replace(
            request.Type, request.Namespace, request.Path.Name!, request.Subresource, input, request.Manager, request.DryRun);
        await Respond.Json(request.Context, 200, FakeKubeState.Render(stored, request.Type));
    }

    public static async Task PatchAsync(FakeKubeState state, ApiRequest request)
    {
        var writer = new ObjectWriter(state);
        var (type, name, sub) = (request.Type, request.Path.Name!, request.Subresource);
        switch (request.MediaType)
        {
            case ApplyPatch:
                if (string.IsNullOrEmpty(request.Query("fieldManager")))
                {
                    throw ApiException.BadRequest($"PATCH {request.Context.Request.Path}: fieldManager is required for apply requests");
                }

                var applied = await request.ReadObjectAsync(allowYaml: true);
                ObjectChecks.KindMatches(type, applied, required: true);
                ObjectChecks.IdentityMatches(request, applied);
                var (stored, created) = writer.Apply(
                    type, request.Namespace, name, sub, applied, request.Manager, request.Force, request.DryRun);
                await Respond.Json(request.Context, created ? 201 : 200, FakeKubeState.Render(stored, type));
                return;
            case MergePatchType:
                var patch = await request.ReadObjectAsync();
                await RespondPatched(request, writer.Patch(
                    type, request.Namespace, name, sub, request.Manager, request.DryRun, live => MergePatch.Apply(live, patch)));
                return;
            case StrategicMergePatch when !BuiltinResources.IsBuiltinGroup(type.Group):
                throw new ApiException(415, "UnsupportedMediaType",
                    $"the body of the request was in an unknown format - accepted media types include: {JsonPatchType}, {MergePatchType}, {ApplyPatch}");
            case StrategicMergePatch:
                var strategic = await request.ReadObjectAsync();
                await RespondPatched(request, writer.Patch(
                    type, request.Namespace, name, sub, request.Manager, request.DryRun,
                    live => Apply.StrategicMergePatch.Apply(live, strategic, BuiltinListKeys.Of)));
                return;
            case JsonPatchType:
                var operations = await request.ReadBodyAsync(allowYaml: false) as JsonArray
                                 ?? throw ApiException.BadRequest("a JSON patch must be an array of operations");
                await RespondPatched(request, writer.Patch(
                    type, request.Namespace, name, sub, request.Manager, request.DryRun, live => JsonPatch.Apply(live, operations)));
                return;
            default:
                throw ApiException.UnsupportedMediaType(request.MediaType);
        }
    }

    private static Task RespondPatched(ApiRequest request, Store.StoredObject stored) =>
        Respond.Json(request.Context, 200, FakeKubeState.Render(stored, request.Type));
}
