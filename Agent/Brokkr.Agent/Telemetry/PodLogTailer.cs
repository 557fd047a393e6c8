using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Brokkr.Agent.Domain;
using Brokkr.Agent.Kubernetes;
using Brokkr.Agent.Realtime;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.Telemetry;

/// <summary>
/// Streams the logs of pods that carry both <c>k8s.brokkr.io/stack</c> and
/// <c>brokkr.io/stream-logs: "true"</c> (on the pod itself), one follower per container, over the
/// WebSocket only, at most 100 lines per second per container; dropped lines are announced with a
/// <c>log_gap</c> (behaviour §14.8). Only lines written after the agent found the pod are sent.
/// </summary>
internal sealed class PodLogTailer(KubeApi api, AgentWebSocket socket, string? watchNamespace, Guid agentId, TimeProvider time, ILogger<PodLogTailer> logger)
{
    public const string StreamLogsAnnotation = "brokkr.io/stream-logs";
    public const double LinesPerSecond = 100;

    private readonly ConcurrentDictionary<string, CancellationTokenSource> _followers = new();

    public long Lines;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var collection = watchNamespace is null ? "api/v1/pods" : $"api/v1/namespaces/{Uri.EscapeDataString(watchNamespace)}/pods";
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    // sendInitialEvents-free: a watch from resourceVersion 0 reports the current pods as ADDED.
                    await foreach (var line in api.StreamLinesAsync($"{collection}?watch=true&timeoutSeconds=300", cancellationToken))
                    {
                        if (JsonNode.Parse(line) is JsonObject change && change["object"] is JsonObject pod)
                        {
                            Observe(change["type"]?.GetValue<string>(), pod, cancellationToken);
                        }
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is KubeApiException or JsonException)
                {
                    logger.LogDebug("Pod watch interrupted: {Error}", e.Message);
                    await Task.Delay(TimeSpan.FromSeconds(5), time, cancellationToken);
                }
            }
        }
        finally
        {
            foreach (var follower in _followers.Values)
            {
                await follower.CancelAsync();
            }
        }
    }

    private void Observe(string? type, JsonObject pod, CancellationToken cancellationToken)
    {
        var ns = pod["metadata"]?["namespace"]?.GetValue<string>() ?? "default";
        var name = pod["metadata"]?["name"]?.GetValue<string>() ?? string.Empty;
        var wanted = type != "DELETED"
            && Guid.TryParse(BrokkrMetadata.Annotation(pod, BrokkrMetadata.StackAnnotation), out _)
            && BrokkrMetadata.Annotation(pod, StreamLogsAnnotation) == "true"
            && pod["status"]?["phase"]?.GetValue<string>() is "Running" or "Pending";
        var containers = (pod["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>().Select(c => c["name"]?.GetValue<string>()).OfType<string>().ToList() ?? [];
        foreach (var container in containers)
        {
            var key = $"{ns}/{name}/{container}";
            if (wanted && !_followers.ContainsKey(key))
            {
                var stack = Guid.Parse(BrokkrMetadata.Annotation(pod, BrokkrMetadata.StackAnnotation)!);
                var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                if (_followers.TryAdd(key, stop))
                {
                    _ = Task.Run(() => FollowAsync(key, stack, ns, name, container, stop.Token), CancellationToken.None);
                }
            }
            else if (!wanted && _followers.TryRemove(key, out var follower))
            {
                follower.Cancel();
            }
        }
    }

    private async Task FollowAsync(string key, Guid stack, string ns, string pod, string container, CancellationToken cancellationToken)
    {
        var bucket = new TokenBucket(LinesPerSecond, time);
        try
        {
            var path = $"api/v1/namespaces/{Uri.EscapeDataString(ns)}/pods/{Uri.EscapeDataString(pod)}/log?container={Uri.EscapeDataString(container)}&follow=true&timestamps=true&tailLines=0";
            await foreach (var raw in api.StreamLinesAsync(path, cancellationToken))
            {
                var space = raw.IndexOf(' ');
                var (ts, line) = space > 0 && DateTimeOffset.TryParse(raw[..space], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out _)
                    ? (raw[..space], raw[(space + 1)..])
                    : (time.GetUtcNow().UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture), raw);
                if (!bucket.TryTake())
                {
                    continue;
                }

                if (bucket.TakeDrops() is { } drops)
                {
                    socket.TrySend(Contracts.Realtime.WireMessageTypes.LogGap, new Dictionary<string, object?>
                    {
                        ["agent_id"] = agentId,
                        ["stack_id"] = stack,
                        ["since_ts"] = drops.Since.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                        ["dropped_count"] = drops.Count,
                        ["reason"] = "rate_limit",
                    });
                }

                if (socket.TrySend(Contracts.Realtime.WireMessageTypes.PodLogLine, new Dictionary<string, object?>
                    {
                        ["agent_id"] = agentId,
                        ["stack_id"] = stack,
                        ["namespace"] = ns,
                        ["pod"] = pod,
                        ["container"] = container,
                        ["ts"] = ts,
                        ["line"] = line,
                    }))
                {
                    Interlocked.Increment(ref Lines);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The pod went away or the agent stops.
        }
        catch (KubeApiException e)
        {
            logger.LogDebug("Log stream of {Container} ended: {Error}", key, e.Message);
        }
        finally
        {
            _followers.TryRemove(key, out _);
        }
    }
}
