using System.Net.WebSockets;
using Brokkr.Realtime.Bus;
using Brokkr.Realtime.Cluster;
using Brokkr.Realtime.Live;
using Brokkr.Shared.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Brokkr.Realtime.Channel;

/// <summary>
/// An agent's socket from upgrade to close: recorded cluster-wide (the table row and a
/// notification, on the database's clock), registered here (replacing an older socket of the same
/// agent), announced to fleet subscribers; then the writer and the uplink run until either side
/// closes; then the same in reverse.
/// </summary>
internal sealed class AgentChannel(
    NpgsqlDataSource dataSource,
    ReplicaIdentity self,
    AgentSockets sockets,
    ClusterState cluster,
    Uplink uplink,
    FleetBroadcaster fleet,
    RealtimeOptions options,
    ILogger<AgentChannel> logger)
{
    private const string ConnectSql = """
        WITH replica AS (
            INSERT INTO realtime_replicas (replica_id) VALUES ($1)
            ON CONFLICT (replica_id) DO UPDATE SET seen_at = now()),
        connection AS (
            INSERT INTO realtime_connections AS c (agent_id, replica_id, connection_id, connected_since)
            VALUES ($2, $1, $3, clock_timestamp())
            ON CONFLICT (agent_id) DO UPDATE SET replica_id = excluded.replica_id, connection_id = excluded.connection_id,
                connected_since = excluded.connected_since, messages_in = 0, messages_out = 0
            RETURNING c.connected_since)
        SELECT connection.connected_since,
               pg_notify($4, json_build_object('k', 'conn', 'src', $1, 'agent', $2, 'connection', $3, 'since', connection.connected_since)::text)
        FROM connection
        """;

    private const string DisconnectSql = """
        WITH gone AS (DELETE FROM realtime_connections WHERE agent_id = $1 AND connection_id = $2)
        SELECT pg_notify($3, $4)
        """;

    public async Task RunAsync(HttpContext context, Guid agentId)
    {
        var pakHash = Pak.TryParseHeader(context.Request.Headers.Authorization.ToString(), out var longToken, out _) ? Pak.HashLongToken(longToken) : string.Empty;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = options.KeepAliveInterval });
        var session = new SocketSession(socket, options, logger);
        var connection = new AgentConnection(agentId, pakHash, session, options, logger);
        try
        {
            connection.ConnectedSince = await RecordConnectedAsync(connection, context.RequestAborted);
        }
        catch (Exception ex)
        {
            logger.LogWarning("Agent {AgentId}: connection not recorded, closing: {Error}", agentId, ex.Message);
            session.RequestClose(WebSocketCloseStatus.InternalServerError, "try again later");
            await session.RunAsync(NothingToSendAsync, _ => { }, _ => ValueTask.CompletedTask, context.RequestAborted);
            return;
        }

        sockets.Register(connection);
        cluster.Connected(agentId, self.Id, connection.ConnectionId, connection.ConnectedSince);
        RealtimeMetrics.ConnectedAgents.Inc();
        logger.LogInformation("Agent {AgentId} connected over WebSocket", agentId);
        try
        {
            await fleet.BroadcastDetachedAsync(agentId);
            await session.RunAsync(connection.NextAsync, connection.Sent, text => uplink.ReceiveAsync(connection, text), context.RequestAborted);
        }
        finally
        {
            sockets.Unregister(connection);
            cluster.Disconnected(agentId, connection.ConnectionId);
            RealtimeMetrics.ConnectedAgents.Dec();
            logger.LogInformation("Agent {AgentId} WebSocket closed", agentId);
            try
            {
                await RecordDisconnectedAsync(connection);
            }
            catch (Exception ex)
            {
                // The row expires with this replica or is replaced by the agent's next connection.
                logger.LogWarning("Agent {AgentId}: disconnection not recorded: {Error}", agentId, ex.Message);
            }

            await fleet.BroadcastDetachedAsync(agentId);
        }
    }

    private static async ValueTask<OutboundFrame> NothingToSendAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new OperationCanceledException(cancellationToken);
    }

    private async Task<DateTime> RecordConnectedAsync(AgentConnection connection, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ConnectSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = self.Id });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = connection.AgentId });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = connection.ConnectionId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = RealtimeBus.Channel });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetFieldValue<DateTime>(0);
    }

    private async Task RecordDisconnectedAsync(AgentConnection connection)
    {
        await using var command = dataSource.CreateCommand(DisconnectSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = connection.AgentId });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = connection.ConnectionId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = RealtimeBus.Channel });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = BusMessages.DisconnectedPayload(self.Id, connection.AgentId, connection.ConnectionId) });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
