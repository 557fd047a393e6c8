using System.Globalization;
using System.Text.Json.Nodes;
using Brokkr.FakeKube.Hosting;
using Brokkr.FakeKube.Serialization;
using Brokkr.FakeKube.Store;

namespace Brokkr.FakeKube.Api;

/// <summary>
/// DELETE of one object or a collection. Objects go at once (no graceful termination) unless finalizers
/// hold them; dependents named by ownerReferences go too unless the propagation policy is Orphan.
/// </summary>
internal static class DeleteOperations
{
    private static readonly HashSet<string> ProtectedNamespaces = ["default", "kube-system", "kube-public"];

    public static async Task DeleteAsync(FakeKubeState state, ApiRequest request)
    {
        var type = request.Type;
        var name = request.Path.Name!;
        var options = await ReadOptionsAsync(request);
        if (type is { Plural: "namespaces", Group: "" } && ProtectedNamespaces.Contains(name))
        {
            throw new ApiException(403, "Forbidden", $"namespaces \"{name}\" is forbidden: this namespace may not be deleted", ApiException.Detail(type, name));
        }

        var outcome = state.Store.Delete(
            FakeKubeState.KeyOf(type, request.Namespace, name),
            Orphans(request, options),
            request.DryRun || options?["dryRun"] is JsonArray { Count: > 0 },
            live => CheckPreconditions(type, name, live, options?["preconditions"]))
                   ?? throw ApiException.NotFound(type, name);
        if (outcome.Pending)
        {
            // As the real server does, an object held by finalizers comes back as it now is.
            await Respond.Json(request.Context, 200, FakeKubeState.Render(outcome.Object, type));
            return;
        }

        if (type is { Plural: "pods", Group: "" })
        {
            state.Logs.Forget(outcome.Object.Namespace, outcome.Object.Name);
        }

        var details = ApiException.Detail(type, name);
        details["uid"] = outcome.Object.Uid;
        await Respond.Json(request.Context, 200, StatusObjects.Success(details));
    }

    public static async Task DeleteCollectionAsync(FakeKubeState state, ApiRequest request)
    {
        var type = request.Type;
        var options = await ReadOptionsAsync(request);
        var (items, _) = state.Store.List(type.QualifiedName, request.Namespace, ReadOperations.Filter(request));
        var deleted = new List<StoredObject>();
        foreach (var item in items)
        {
            var outcome = state.Store.Delete(
                new ObjectKey(item.TypeKey, item.Namespace, item.Name), Orphans(request, options), request.DryRun);
            if (outcome is not null)
            {
                deleted.Add(outcome.Object);
            }
        }

        var list = $"{{\"kind\":\"{type.ListKind}\",\"apiVersion\":\"{type.GroupVersion}\",\"metadata\":{{\"resourceVersion\":\"{state.Store.Version.ToString(CultureInfo.InvariantCulture)}\"}},\"items\":[{string.Join(',', deleted.Select(o => FakeKubeState.Render(o, type)))}]}}";
        await Respond.Json(request.Context, 200, list);
    }

    private static bool Orphans(ApiRequest request, JsonObject? options)
    {
        var policy = request.Query("propagationPolicy") ?? options?["propagationPolicy"]?.ToString();
        var orphan = request.Query("orphanDependents") ?? options?["orphanDependents"]?.ToString();
        return policy == "Orphan" || orphan is "true" or "True";
    }

    private static void CheckPreconditions(Discovery.ResourceType type, string name, StoredObject live, JsonNode? preconditions)
    {
        var uid = preconditions?["uid"]?.ToString();
        var version = preconditions?["resourceVersion"]?.ToString();
        if (!string.IsNullOrEmpty(uid) && uid != live.Uid)
        {
            throw new ApiException(409, "Conflict",
                $"Operation cannot be fulfilled on {type.QualifiedName} \"{name}\": Precondition failed: UID in precondition: {uid}, UID in object meta: {live.Uid}",
                ApiException.Detail(type, name));
        }

        if (!string.IsNullOrEmpty(version) && version != live.ResourceVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw ApiException.Modified(type, name);
        }
    }

    private static async Task<JsonObject?> ReadOptionsAsync(ApiRequest request)
    {
        using var reader = new StreamReader(request.Context.Request.Body);
        var text = await reader.ReadToEndAsync(request.Context.RequestAborted);
        try
        {
            return KubeJson.ParseBody(text, allowYaml: false) as JsonObject;
        }
        catch (System.Text.Json.JsonException e)
        {
            throw ApiException.BadRequest($"error decoding DeleteOptions: {e.Message}");
        }
    }
}
