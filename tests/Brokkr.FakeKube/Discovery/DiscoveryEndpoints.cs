using Brokkr.FakeKube.Api;
using Brokkr.FakeKube.Hosting;
using Brokkr.FakeKube.Serialization;

namespace Brokkr.FakeKube.Discovery;

/// <summary>/version, health probes, /api, /apis, /apis/{group}[/{version}], /api/v1 and /openapi/v3; /openapi/v2 is not served.</summary>
internal static class DiscoveryEndpoints
{
    public static void Map(WebApplication app, FakeKubeState state)
    {
        app.MapGet("/version", (HttpContext c) => Respond.Json(c, 200, DiscoveryDocuments.Version(state.Options)));
        app.MapGet("/api", (HttpContext c) => Aggregated(c, state)
            ? Respond.Json(c, 200, KubeJson.Serialize(AggregatedDiscovery.Core(state.Registry)), AggregatedDiscovery.ContentType)
            : Respond.Json(c, 200, DiscoveryDocuments.CoreVersions(c.Request.Host.Value ?? "127.0.0.1")));
        app.MapGet("/apis", (HttpContext c) => Aggregated(c, state)
            ? Respond.Json(c, 200, KubeJson.Serialize(AggregatedDiscovery.Groups(state.Registry)), AggregatedDiscovery.ContentType)
            : Respond.Json(c, 200, DiscoveryDocuments.GroupList(state.Registry)));
        foreach (var probe in new[] { "/healthz", "/livez", "/readyz" })
        {
            app.MapGet(probe, () => Results.Text("ok"));
        }

        app.MapGet("/api/{version}", (HttpContext c, string version) =>
            RespondOrNotFound(c, DiscoveryDocuments.ResourceList(state.Registry, "", version)));
        app.MapGet("/apis/{group}", (HttpContext c, string group) =>
            RespondOrNotFound(c, DiscoveryDocuments.Group(state.Registry, group)));
        app.MapGet("/apis/{group}/{version}", (HttpContext c, string group, string version) =>
            RespondOrNotFound(c, DiscoveryDocuments.ResourceList(state.Registry, group, version)));
        app.MapGet("/openapi/v3", (HttpContext c) => Respond.Json(c, 200, OpenApiDocuments.Root(state.Registry)));
        app.MapGet("/openapi/v3/api/{version}", (HttpContext c, string version) =>
            RespondOrNotFound(c, OpenApiDocuments.GroupVersion(state.Registry, "", version, state.Options.GitVersion)));
        app.MapGet("/openapi/v3/apis/{group}/{version}", (HttpContext c, string group, string version) =>
            RespondOrNotFound(c, OpenApiDocuments.GroupVersion(state.Registry, group, version, state.Options.GitVersion)));
    }

    private static bool Aggregated(HttpContext context, FakeKubeState state) =>
        state.Options.AggregatedDiscovery && AggregatedDiscovery.Wanted(context);

    private static Task RespondOrNotFound(HttpContext context, System.Text.Json.Nodes.JsonObject? document) =>
        document is null ? Respond.Failure(context, ApiException.UnknownResource()) : Respond.Json(context, 200, document);
}
