using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Brokkr.FakeKube.Hosting;
using Brokkr.FakeKube.Serialization;
using Brokkr.FakeKube.Store;

namespace Brokkr.FakeKube.Api;

/// <summary>
/// <c>?watch=true</c>: newline-delimited WatchEvent JSON, flushed per event, until the client goes away or
/// <c>timeoutSeconds</c> passes. Starts from the given resourceVersion, or with the current objects as ADDED.
/// </summary>
internal static class WatchOperation
{
    public static async Task RunAsync(FakeKubeState state, ApiRequest request)
    {
        var filter = ReadOperations.Filter(request);
        var initialEvents = request.Query("sendInitialEvents") == "true";
        var from = ParseVersion(request.Query("resourceVersion"));
        var (initial, subscription) = state.Store.OpenWatch(
            request.Type.QualifiedName, request.Namespace, filter, initialEvents ? null : from);
        using var _ = subscription;

        var response = request.Context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-cache, private";
        await response.StartAsync(request.Context.RequestAborted);

        // Kestrel holds the headers until the first body write; a client waits for them before reading events.
        await response.Body.FlushAsync(request.Context.RequestAborted);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(request.Context.RequestAborted);
        if (int.TryParse(request.Query("timeoutSeconds"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        try
        {
            if (initial is null)
            {
                var expired = StatusObjects.Failure(410, "Expired", $"too old resource version: {from} ({state.Store.Version})");
                await WriteAsync(response, "ERROR", KubeJson.Serialize(expired), timeout.Token);
                return;
            }

            var table = TableOutput.Wanted(request.Context);
            foreach (var e in initial)
            {
                await WriteAsync(response, e.Type, Render(e, request, table), timeout.Token);
            }

            if (initialEvents)
            {
                await WriteAsync(response, "BOOKMARK", InitialEventsEnd(request, state.Store.Version), timeout.Token);
            }

            await foreach (var e in subscription.Events.ReadAllAsync(timeout.Token))
            {
                await WriteAsync(response, e.Type, Render(e, request, table), timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The client closed the watch or its timeout passed: both end the stream normally.
        }
    }

    /// <summary>kubectl's human-readable watch asks for each event's object as a one-row Table.</summary>
    private static string Render(WatchEvent e, ApiRequest request, bool table)
    {
        var json = FakeKubeState.Render(e.Object, request.Type);
        return table ? KubeJson.Serialize(TableOutput.For(request.Type, [json], e.ResourceVersion)) : json;
    }

    private static long? ParseVersion(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0 ? version : null;

    private static string InitialEventsEnd(ApiRequest request, long version) => KubeJson.Serialize(new JsonObject
    {
        ["kind"] = request.Type.Kind,
        ["apiVersion"] = request.Type.GroupVersion,
        ["metadata"] = new JsonObject
        {
            ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture),
            ["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" },
        },
    });

    private static async Task WriteAsync(HttpResponse response, string type, string objectJson, CancellationToken cancellationToken)
    {
        var line = $"{{\"type\":\"{type}\",\"object\":{objectJson}}}\n";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
