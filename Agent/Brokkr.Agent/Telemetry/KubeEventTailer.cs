using System.Text.Json;
using System.Text.Json.Nodes;
using Brokkr.Agent.Domain;
using Brokkr.Agent.Kubernetes;
using Brokkr.Agent.Realtime;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.Telemetry;

/// <summary>
/// Watches Kubernetes Events (cluster-wide or in the watch namespace) and forwards, over the WebSocket
/// only, those whose involved object itself carries <c>k8s.brokkr.io/stack</c> (behaviour §14.8; no
/// owner-chain walk, as in the reference). Events that existed before the agent started are not sent.
/// </summary>
internal sealed class KubeEventTailer(KubeApi api, ResourceCatalog catalog, AgentWebSocket socket, OwnershipCache owners, string? watchNamespace, Guid agentId, TimeProvider time, ILogger<KubeEventTailer> logger)
{
    public long Forwarded;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var collection = watchNamespace is null ? "api/v1/events" : $"api/v1/namespaces/{Uri.EscapeDataString(watchNamespace)}/events";
        string? resourceVersion = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    var list = await api.GetAsync(collection, cancellationToken);
                    resourceVersion = list?["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "0";
                }

                await foreach (var line in api.StreamLinesAsync($"{collection}?watch=true&allowWatchBookmarks=true&timeoutSeconds=300&resourceVersion={resourceVersion}", cancellationToken))
                {
                    if (JsonNode.Parse(line) is not JsonObject change || change["object"] is not JsonObject item)
                    {
                        continue;
                    }

                    var type = change["type"]?.GetValue<string>();
                    if (type == "ERROR")
                    {
                        // 410 Gone: the resourceVersion is too old; start again from a fresh list.
                        resourceVersion = null;
                        break;
                    }

                    resourceVersion = item["metadata"]?["resourceVersion"]?.GetValue<string>() ?? resourceVersion;
                    if (type is "ADDED" or "MODIFIED")
                    {
                        await ForwardAsync(item, cancellationToken);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is KubeApiException or JsonException)
            {
                logger.LogDebug("Event watch interrupted: {Error}", e.Message);
                resourceVersion = null;
                await Task.Delay(TimeSpan.FromSeconds(5), time, cancellationToken);
            }
        }
    }

    private async Task ForwardAsync(JsonObject item, CancellationToken cancellationToken)
    {
        var involved = item["involvedObject"] as JsonObject;
        var apiVersion = Text(involved?["apiVersion"]) ?? "v1";
        var kind = Text(involved?["kind"]);
        var name = Text(involved?["name"]);
        if (kind is null || name is null)
        {
            return;
        }

        var ns = Text(involved?["namespace"]);
        var key = Text(involved?["uid"]) ?? $"{apiVersion}/{kind}/{ns}/{name}";
        if (!owners.TryGet(key, out var stack))
        {
            stack = null;
            if (await catalog.ResolveAsync(apiVersion, kind, cancellationToken) is { } resource
                && await api.GetAsync(resource.ObjectPath(ns, name), cancellationToken) is { } target
                && Guid.TryParse(BrokkrMetadata.Annotation(target, BrokkrMetadata.StackAnnotation), out var found))
            {
                stack = found;
            }

            owners.Set(key, stack);
        }

        if (stack is not { } stackId)
        {
            return;
        }

        var observed = Text(item["eventTime"]) ?? Text(item["lastTimestamp"]) ?? time.GetUtcNow().UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var source = Text(item["source"]?["component"]) ?? Text(item["reportingComponent"]);
        var sent = socket.TrySend(Contracts.Realtime.WireMessageTypes.K8sEvent, new Dictionary<string, object?>
        {
            ["agent_id"] = agentId,
            ["stack_id"] = stackId,
            ["observed_at"] = observed,
            ["reason"] = Text(item["reason"]) ?? string.Empty,
            ["message"] = Text(item["message"]) ?? string.Empty,
            ["event_type"] = Text(item["type"]) ?? "Normal",
            ["source"] = source,
            ["involved_object"] = new Dictionary<string, object?>
            {
                ["api_version"] = apiVersion,
                ["kind"] = kind,
                ["namespace"] = ns,
                ["name"] = name,
                ["uid"] = Text(involved?["uid"]),
            },
        });
        if (sent)
        {
            Interlocked.Increment(ref Forwarded);
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
