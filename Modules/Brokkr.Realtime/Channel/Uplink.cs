using System.Text.Json;
using Brokkr.Contracts.Agents;
using Brokkr.Contracts.Health;
using Brokkr.Contracts.Realtime;
using Brokkr.Contracts.Telemetry;
using Brokkr.Realtime.Live;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Json;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Brokkr.Realtime.Channel;

/// <summary>
/// What an agent sends (behaviour §11), handled as its REST twin would be: heartbeats, events
/// (validated, firing the same webhooks) and health go through the owning modules' contracts;
/// Kubernetes events and pod log lines reach live subscribers first and are stored in batches;
/// log gaps are only forwarded. A frame that cannot be decoded, names another agent, travels the
/// wrong way or is refused by its handler is dropped and logged; the socket stays open.
/// </summary>
internal sealed class Uplink(IServiceScopeFactory scopes, LiveHub hub, TelemetryIngest ingest, ILogger<Uplink> logger)
{
    public async ValueTask ReceiveAsync(AgentConnection connection, ReadOnlyMemory<byte> text)
    {
        string? type;
        JsonElement body;
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (type is null || !root.TryGetProperty("body", out var b) || b.ValueKind != JsonValueKind.Object)
            {
                logger.LogWarning("Agent {AgentId}: dropping a frame without a type and an object body", connection.AgentId);
                return;
            }

            body = b.Clone();
        }
        catch (JsonException ex)
        {
            logger.LogWarning("Agent {AgentId}: dropping an undecodable frame: {Error}", connection.AgentId, ex.Message);
            return;
        }

        connection.Received();
        RealtimeMetrics.In(IsWireType(type) ? type : "unknown");
        try
        {
            await DispatchAsync(connection.AgentId, type, body);
        }
        catch (JsonException ex)
        {
            logger.LogWarning("Agent {AgentId}: dropping an undecodable {Type} body: {Error}", connection.AgentId, type, ex.Message);
        }
        catch (ApiException ex)
        {
            logger.LogWarning("Agent {AgentId}: {Type} refused ({Status} {Code}): {Message}", connection.AgentId, type, ex.Status, ex.Code, ex.Message);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Agent {AgentId}: {Type} failed", connection.AgentId, type);
        }
    }

    private async Task DispatchAsync(Guid agentId, string type, JsonElement body)
    {
        switch (type)
        {
            case WireMessageTypes.Heartbeat:
                var heartbeat = Decode<HeartbeatBody>(body);
                if (IsFor(agentId, heartbeat.AgentId, type))
                {
                    var latency = heartbeat.K8sApiLatencyMs is { } ms ? (int)Math.Clamp(ms, 0, int.MaxValue) : (int?)null;
                    await SendAsync(sender => sender.Send(new RecordAgentHeartbeat(agentId, new HeartbeatReport(heartbeat.K8sReachable, latency))));
                }

                break;
            case WireMessageTypes.AgentEvent:
                var agentEvent = Decode<AgentEventBody>(body);
                if (IsFor(agentId, agentEvent.AgentId, type))
                {
                    var report = new NewAgentEvent(agentId, agentEvent.DeploymentObjectId, agentEvent.EventType, agentEvent.Status, agentEvent.Message);
                    await SendAsync(sender => sender.Send(new RecordAgentEvent(agentId, report)));
                }

                break;
            case WireMessageTypes.AgentHealth:
                var health = Decode<AgentHealthBody>(body);
                if (IsFor(agentId, health.AgentId, type))
                {
                    var update = new DeploymentObjectHealthUpdate(health.DeploymentObjectId, health.Status, health.CheckedAt, Summary(agentId, health.Summary));
                    await SendAsync(sender => sender.Send(new RecordDeploymentHealth(agentId, [update])));
                }

                break;
            case WireMessageTypes.K8sEvent:
                var k8sEvent = Decode<K8sEventBody>(body);
                if (IsFor(agentId, k8sEvent.AgentId, type))
                {
                    if (k8sEvent.InvolvedObject.ValueKind != JsonValueKind.Object)
                    {
                        throw new JsonException("involved_object must be an object");
                    }

                    var frame = OutboundFrame.Create(type, k8sEvent);
                    hub.PublishStack(k8sEvent.StackId, frame);
                    ingest.Enqueue(new IngestItem(k8sEvent.StackId, frame, Event: new K8sEventReport(
                        agentId, k8sEvent.StackId, k8sEvent.ObservedAt, k8sEvent.Reason, k8sEvent.Message, k8sEvent.EventType, k8sEvent.InvolvedObject, k8sEvent.Source)));
                }

                break;
            case WireMessageTypes.PodLogLine:
                var line = Decode<PodLogLineBody>(body);
                if (IsFor(agentId, line.AgentId, type))
                {
                    var frame = OutboundFrame.Create(type, line);
                    hub.PublishStack(line.StackId, frame);
                    ingest.Enqueue(new IngestItem(line.StackId, frame, Line: new PodLogLineReport(
                        agentId, line.StackId, line.Namespace, line.Pod, line.Container, line.Ts, line.Line)));
                }

                break;
            case WireMessageTypes.LogGap:
                var gap = Decode<LogGapBody>(body);
                if (IsFor(agentId, gap.AgentId, type))
                {
                    if (!LogGapBody.IsKnownReason(gap.Reason))
                    {
                        throw new JsonException($"unknown log_gap reason '{gap.Reason}'");
                    }

                    var frame = OutboundFrame.Create(type, gap);
                    hub.PublishStack(gap.StackId, frame);
                    ingest.Enqueue(new IngestItem(gap.StackId, frame));
                }

                break;
            case WireMessageTypes.WorkOrder or WireMessageTypes.TargetChanged or WireMessageTypes.StackChanged or WireMessageTypes.FleetUpdate:
                logger.LogWarning("Agent {AgentId}: dropping a broker-to-agent {Type} frame received on the uplink", agentId, type);
                break;
            default:
                logger.LogWarning("Agent {AgentId}: dropping a frame of unknown type {Type}", agentId, type);
                break;
        }
    }

    // Metric labels only from the wire's own names: an agent cannot grow the label set.
    private static bool IsWireType(string type) => type is WireMessageTypes.WorkOrder or WireMessageTypes.TargetChanged or WireMessageTypes.StackChanged
        or WireMessageTypes.Heartbeat or WireMessageTypes.AgentEvent or WireMessageTypes.AgentHealth or WireMessageTypes.K8sEvent
        or WireMessageTypes.PodLogLine or WireMessageTypes.LogGap or WireMessageTypes.FleetUpdate;

    private bool IsFor(Guid connectionAgent, Guid bodyAgent, string type)
    {
        if (bodyAgent == connectionAgent)
        {
            return true;
        }

        logger.LogWarning("Agent {AgentId}: dropping a {Type} frame whose body names agent {BodyAgentId}", connectionAgent, type, bodyAgent);
        return false;
    }

    /// <summary>The reference sends the summary as a JSON string; one that does not parse is left out rather than losing the status.</summary>
    private HealthSummary? Summary(Guid agentId, string? summary)
    {
        if (string.IsNullOrWhiteSpace(summary))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<HealthSummary>(summary, BrokkrJson.Options);
        }
        catch (JsonException ex)
        {
            logger.LogWarning("Agent {AgentId}: health summary left out, it does not parse: {Error}", agentId, ex.Message);
            return null;
        }
    }

    private static T Decode<T>(JsonElement body)
        => body.Deserialize<T>(BrokkrJson.Options) ?? throw new JsonException("null body");

    private async Task SendAsync<T>(Func<ISender, ValueTask<T>> send)
    {
        await using var scope = scopes.CreateAsyncScope();
        await send(scope.ServiceProvider.GetRequiredService<ISender>());
    }
}
