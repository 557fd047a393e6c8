using System.Net.WebSockets;
using System.Text.Json;
using Brokkr.Realtime.Channel;
using Brokkr.Realtime.Cluster;
using Brokkr.Realtime.Live;
using Microsoft.Extensions.Logging;

namespace Brokkr.Realtime.Bus;

/// <summary>Applies one bus message to this replica's sockets, subscribers and view of the cluster.</summary>
internal sealed class BusDispatcher(
    ReplicaIdentity self,
    RealtimeBus bus,
    AgentSockets sockets,
    LiveHub hub,
    ClusterState cluster,
    ILogger<BusDispatcher> logger)
{
    public const string RevokedReason = "agent PAK revoked";

    public async Task DispatchAsync(string payload, CancellationToken cancellationToken)
    {
        if (payload.Length > 0 && payload[0] == RealtimeBus.StoredPrefix)
        {
            if (!long.TryParse(payload.AsSpan(1), out var id) || await bus.LoadAsync(id, cancellationToken) is not { } stored)
            {
                logger.LogWarning("Realtime bus message {Reference} is no longer stored; skipped", payload);
                return;
            }

            payload = stored;
        }

        using var document = JsonDocument.Parse(payload);
        var message = document.RootElement;
        var source = message.TryGetProperty("src", out var src) ? src.GetGuid() : Guid.Empty;
        switch (message.GetProperty("k").GetString())
        {
            case BusMessages.Push:
                sockets.Deliver(message.GetProperty("agents").EnumerateArray().Select(a => a.GetGuid()), OutboundFrame.FromRaw(message.GetProperty("f")));
                break;
            case BusMessages.Revoke:
                sockets.Close(message.GetProperty("agent").GetGuid(), WebSocketCloseStatus.PolicyViolation, RevokedReason);
                break;
            case BusMessages.Fleet:
                hub.PublishFleet(OutboundFrame.FromRaw(message.GetProperty("f")));
                break;
            case BusMessages.Connected when source != self.Id:
                OnRemoteConnected(
                    message.GetProperty("agent").GetGuid(),
                    source,
                    message.GetProperty("connection").GetGuid(),
                    message.GetProperty("since").GetDateTimeOffset().UtcDateTime);
                break;
            case BusMessages.Disconnected when source != self.Id:
                cluster.Disconnected(message.GetProperty("agent").GetGuid(), message.GetProperty("connection").GetGuid());
                break;
            case BusMessages.Stack when source != self.Id:
                foreach (var item in message.GetProperty("items").EnumerateArray())
                {
                    hub.PublishStack(item.GetProperty("s").GetGuid(), OutboundFrame.FromRaw(item.GetProperty("f")));
                }

                break;
            case BusMessages.Presence when source != self.Id:
                cluster.PresenceOf(source, new Presence(
                    message.GetProperty("fleet").GetInt32(),
                    message.GetProperty("subs").GetInt32(),
                    [.. message.GetProperty("stacks").EnumerateArray().Select(s => s.GetGuid())]));
                break;
        }
    }

    /// <summary>
    /// Another replica took the agent's socket: the older of the two sockets gives way (one per agent
    /// across replicas; both replicas compare the same database timestamps, so they agree).
    /// </summary>
    private void OnRemoteConnected(Guid agentId, Guid replica, Guid connection, DateTime since)
    {
        if (sockets.TryGet(agentId, out var local))
        {
            if (local.ConnectedSince > since || (local.ConnectedSince == since && local.ConnectionId.CompareTo(connection) > 0))
            {
                return;
            }

            local.Close(WebSocketCloseStatus.NormalClosure, AgentSockets.ReplacedReason);
        }

        cluster.Connected(agentId, replica, connection, since);
    }
}
