using System.Text.Json.Nodes;
using Brokkr.Agent.Domain;
using Brokkr.Agent.Kubernetes;
using Brokkr.Contracts.Diagnostics;

namespace Brokkr.Agent.Diagnostics;

/// <summary>
/// What a diagnostics request gets (behaviour §8), per namespace of the deployment object: the pods
/// attributed to it (statuses as the reference shapes them), the namespace's 50 newest events, and
/// the last 100 log lines of every container. A collection failure still produces a result, with
/// <c>pod_statuses</c> <c>[]</c> and the error as the only event.
/// </summary>
internal sealed class DiagnosticsCollector(KubeApi api, ResourceCatalog catalog, TimeProvider time)
{
    public const int EventsPerNamespace = 50;
    public const int LogLines = 100;

    public async Task<SubmitDiagnosticResult> CollectAsync(Guid deploymentObjectId, IReadOnlyCollection<string> namespaces, CancellationToken cancellationToken)
    {
        try
        {
            var podStatuses = new JsonArray();
            var events = new JsonArray();
            var logTails = new JsonObject();
            var owners = new Dictionary<string, JsonObject?>();
            foreach (var ns in namespaces.Distinct())
            {
                foreach (var pod in await api.ListAsync($"api/v1/namespaces/{Uri.EscapeDataString(ns)}/pods", null, cancellationToken))
                {
                    var id = await PodAttributor.AttributeAsync(pod, (apiVersion, kind, ownerNs, name) => OwnerAsync(owners, apiVersion, kind, ownerNs, name, cancellationToken));
                    if (id != deploymentObjectId.ToString())
                    {
                        continue;
                    }

                    podStatuses.Add(PodStatus(pod));
                    await AddLogsAsync(pod, ns, logTails, cancellationToken);
                }

                var namespaceEvents = await api.ListAsync($"api/v1/namespaces/{Uri.EscapeDataString(ns)}/events", null, cancellationToken);
                foreach (var item in namespaceEvents.OrderByDescending(Newest).Take(EventsPerNamespace))
                {
                    events.Add(Event(item));
                }
            }

            return new SubmitDiagnosticResult(podStatuses.ToJsonString(), events.ToJsonString(), time.GetUtcNow().UtcDateTime, logTails.ToJsonString());
        }
        catch (KubeApiException e)
        {
            return new SubmitDiagnosticResult("[]", new JsonArray(new JsonObject { ["error"] = e.Message }).ToJsonString(), time.GetUtcNow().UtcDateTime, null);
        }
    }

    private async Task<JsonObject?> OwnerAsync(Dictionary<string, JsonObject?> cache, string apiVersion, string kind, string? ns, string name, CancellationToken cancellationToken)
    {
        var key = $"{apiVersion}/{kind}/{ns}/{name}";
        if (!cache.TryGetValue(key, out var owner))
        {
            var resource = await catalog.ResolveAsync(apiVersion, kind, cancellationToken);
            owner = resource is null ? null : await api.GetAsync(resource.ObjectPath(ns, name), cancellationToken);
            cache[key] = owner;
        }

        return owner;
    }

    private async Task AddLogsAsync(JsonObject pod, string ns, JsonObject logTails, CancellationToken cancellationToken)
    {
        var name = Text(pod["metadata"]?["name"]) ?? string.Empty;
        var containers = (pod["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>().Select(c => Text(c["name"])).OfType<string>() ?? [];
        foreach (var container in containers)
        {
            try
            {
                logTails[$"{name}/{container}"] = await api.GetTextAsync(
                    $"api/v1/namespaces/{Uri.EscapeDataString(ns)}/pods/{Uri.EscapeDataString(name)}/log?container={Uri.EscapeDataString(container)}&tailLines={LogLines}",
                    cancellationToken);
            }
            catch (KubeApiException e)
            {
                logTails[$"{name}/{container}"] = $"Error: {e.Message}";
            }
        }
    }

    private static JsonObject PodStatus(JsonObject pod)
    {
        var status = pod["status"] as JsonObject;
        var conditions = new JsonArray((status?["conditions"] as JsonArray)?.OfType<JsonObject>().Select(c => (JsonNode)new JsonObject
        {
            ["condition_type"] = Text(c["type"]),
            ["status"] = Text(c["status"]),
            ["reason"] = Text(c["reason"]),
            ["message"] = Text(c["message"]),
        }).ToArray() ?? []);
        var containers = new JsonArray((status?["containerStatuses"] as JsonArray)?.OfType<JsonObject>().Select(c =>
        {
            var state = c["state"] as JsonObject;
            var (stateName, detail) = state?.FirstOrDefault() is { Key: { } key, Value: JsonObject value } ? (key, value) : ("unknown", null);
            return (JsonNode)new JsonObject
            {
                ["name"] = Text(c["name"]),
                ["ready"] = c["ready"] is JsonValue ready && ready.TryGetValue<bool>(out var isReady) && isReady,
                ["restart_count"] = c["restartCount"] is JsonValue restarts && restarts.TryGetValue<int>(out var count) ? count : 0,
                ["state"] = stateName,
                ["state_reason"] = Text(detail?["reason"]),
                ["state_message"] = Text(detail?["message"]),
            };
        }).ToArray() ?? []);
        return new JsonObject
        {
            ["name"] = Text(pod["metadata"]?["name"]),
            ["namespace"] = Text(pod["metadata"]?["namespace"]),
            ["phase"] = Text(status?["phase"]),
            ["conditions"] = conditions,
            ["containers"] = containers,
        };
    }

    private static JsonObject Event(JsonObject item) => new()
    {
        ["event_type"] = Text(item["type"]),
        ["reason"] = Text(item["reason"]),
        ["message"] = Text(item["message"]),
        ["involved_object"] = Text(item["involvedObject"]?["name"]),
        ["involved_object_kind"] = Text(item["involvedObject"]?["kind"]),
        ["first_timestamp"] = Text(item["firstTimestamp"]),
        ["last_timestamp"] = Text(item["lastTimestamp"]),
        ["count"] = item["count"] is JsonValue count && count.TryGetValue<int>(out var n) ? n : null,
    };

    private static string Newest(JsonObject item)
        => Text(item["lastTimestamp"]) ?? Text(item["eventTime"]) ?? Text(item["metadata"]?["creationTimestamp"]) ?? string.Empty;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
