using System.Text.Json.Nodes;
using Brokkr.FakeKube.Api;
using Brokkr.FakeKube.Apply;
using Brokkr.FakeKube.Hosting;
using Brokkr.FakeKube.Serialization;

namespace Brokkr.FakeKube.Admin;

/// <summary>
/// The out-of-process test controls under /_fake, mirroring the in-process handle:
/// requests, faults, status, pod logs and reset. Status and log paths are API object paths, e.g.
/// <c>PUT /_fake/status/apis/apps/v1/namespaces/demo/deployments/web</c>.
/// </summary>
internal static class AdminEndpoints
{
    public static void Map(WebApplication app, FakeKubeState state)
    {
        var cluster = new FakeCluster(state);
        var admin = app.MapGroup(ApiMiddleware.AdminPrefix);

        admin.MapGet("/requests", (HttpContext c, long? since) =>
            Respond.Json(c, 200, KubeJson.Serialize(new { lastSequence = state.Requests.LastSequence, items = state.Requests.Since(since ?? 0) })));
        admin.MapDelete("/requests", () => state.Requests.Clear());

        admin.MapGet("/faults", (HttpContext c) =>
            Respond.Json(c, 200, KubeJson.Serialize(state.Faults.Active().Select(f => new { rule = f.Rule, remaining = f.Remaining }))));
        admin.MapPost("/faults", async (HttpContext c) =>
        {
            var body = await ReadJsonAsync(c);
            var rule = new FaultRule
            {
                Method = body["method"]?.ToString(),
                PathContains = body["pathContains"]?.ToString() ?? body["path"]?.ToString(),
                StatusCode = body["statusCode"]?.GetValue<int>() ?? body["status"]?.GetValue<int>(),
                Delay = TimeSpan.FromMilliseconds(body["delayMs"]?.GetValue<int>() ?? 0),
                Times = body["times"]?.GetValue<int>(),
            };
            state.Faults.Add(rule);
            await Respond.Json(c, 201, KubeJson.Serialize(rule));
        });
        admin.MapDelete("/faults", () => state.Faults.Clear());

        admin.MapPut("/status/{**path}", (HttpContext c, string path) =>
            WriteStatusAsync(c, state, cluster, path, (live, status) => MergePatch.Apply(WithoutStatus(live), new JsonObject { ["status"] = status })));
        admin.MapMethods("/status/{**path}", ["PATCH"], (HttpContext c, string path) =>
            WriteStatusAsync(c, state, cluster, path, (live, status) => MergePatch.Apply(live, new JsonObject { ["status"] = status })));

        admin.MapPut("/logs/{**path}", (HttpContext c, string path) => WriteLogAsync(c, path, cluster.SetPodLog));
        admin.MapPost("/logs/{**path}", (HttpContext c, string path) => WriteLogAsync(c, path, cluster.AppendPodLog));

        admin.MapPost("/reset", () => state.Reset());
    }

    private static async Task WriteStatusAsync(
        HttpContext context, FakeKubeState state, FakeCluster cluster, string path, Func<JsonObject, JsonObject, JsonObject> change)
    {
        try
        {
            var target = ApiPath.Parse("/" + path) ?? throw ApiException.UnknownResource();
            var type = state.Registry.Find(target.Group, target.Version, target.Plural) ?? throw ApiException.UnknownResource();
            var status = await ReadJsonAsync(context);
            var updated = cluster.WriteStatus(type, target.Namespace, target.Name ?? string.Empty, live => change(live, status));
            await Respond.Json(context, 200, updated);
        }
        catch (FakeKubeException e)
        {
            await Respond.Failure(context, new ApiException(e.Code, e.Reason, e.Message));
        }
        catch (ApiException e)
        {
            await Respond.Failure(context, e);
        }
    }

    private static async Task WriteLogAsync(HttpContext context, string path, Action<string, string, string, string?> write)
    {
        var target = ApiPath.Parse("/" + path);
        if (target is not { Plural: "pods", Namespace: not null, Name: not null })
        {
            await Respond.Failure(context, ApiException.BadRequest("expected a pod path: api/v1/namespaces/{ns}/pods/{name}"));
            return;
        }

        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        write(target.Namespace, target.Name, text, context.Request.Query["container"].FirstOrDefault());
        context.Response.StatusCode = 204;
    }

    private static async Task<JsonObject> ReadJsonAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        return JsonNode.Parse(text) as JsonObject ?? throw ApiException.BadRequest("expected a JSON object");
    }

    private static JsonObject WithoutStatus(JsonObject live)
    {
        var copy = (JsonObject)live.DeepClone();
        copy.Remove("status");
        return copy;
    }
}
