using System.Net.WebSockets;
using Brokkr.Realtime.Bus;
using Brokkr.Realtime.Channel;
using Brokkr.Realtime.Live;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Brokkr.Realtime.Cluster;

/// <summary>
/// Every <see cref="RealtimeOptions.ReplicaTick"/>: this replica's row (liveness on the database's
/// clock, and its subscribers), its sockets' message counters, the removal of replicas silent for
/// <see cref="RealtimeOptions.ReplicaExpiry"/> with their connections and of old stored messages;
/// then a snapshot of the live replicas' state for <see cref="ClusterState"/>.
/// Two round trips on one pooled connection, whatever the number of sockets; a row whose counters
/// did not change is not rewritten (10,000 idle sockets would otherwise rewrite 2,000 rows a second).
/// </summary>
internal sealed class ReplicaTicker(
    NpgsqlDataSource dataSource,
    ReplicaIdentity self,
    AgentSockets sockets,
    LiveHub hub,
    ClusterState cluster,
    RealtimeOptions options,
    ILogger<ReplicaTicker> logger) : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ReplicaTick);
        do
        {
            try
            {
                await TickAsync(revalidate: false, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Realtime replica tick failed: {Error}", ex.Message);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await using var batch = dataSource.CreateBatch();
            batch.BatchCommands.Add(Command("DELETE FROM realtime_connections WHERE replica_id = $1", self.Id));
            batch.BatchCommands.Add(Command("DELETE FROM realtime_replicas WHERE replica_id = $1", self.Id));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            logger.LogDebug("Realtime replica rows not removed at shutdown: {Error}", ex.Message);
        }
    }

    /// <summary>
    /// One tick. With <paramref name="revalidate"/> (after the bus listener reconnected, when a
    /// rotation or deletion notice may have been lost) the sockets whose agent is gone or whose PAK
    /// changed are closed too.
    /// </summary>
    public async Task TickAsync(bool revalidate, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var fromVersion = cluster.Version;
            var presence = hub.Presence;
            var local = sockets.Snapshot().Where(c => c.ConnectedSince != default).ToList();
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

            await using (var writes = new NpgsqlBatch(connection))
            {
                writes.BatchCommands.Add(UpsertReplica(self.Id, presence));
                writes.BatchCommands.Add(Command("""
                    INSERT INTO realtime_connections AS c (agent_id, replica_id, connection_id, connected_since, messages_in, messages_out)
                    SELECT u.agent_id, $1, u.connection_id, u.since, u.messages_in, u.messages_out
                    FROM unnest($2::uuid[], $3::uuid[], $4::timestamptz[], $5::bigint[], $6::bigint[])
                        AS u (agent_id, connection_id, since, messages_in, messages_out)
                    ON CONFLICT (agent_id) DO UPDATE SET messages_in = excluded.messages_in, messages_out = excluded.messages_out
                    WHERE c.connection_id = excluded.connection_id
                        AND (c.messages_in, c.messages_out) IS DISTINCT FROM (excluded.messages_in, excluded.messages_out)
                    """,
                    self.Id,
                    local.Select(c => c.AgentId).ToArray(),
                    local.Select(c => c.ConnectionId).ToArray(),
                    local.Select(c => c.ConnectedSince).ToArray(),
                    local.Select(c => c.MessagesIn).ToArray(),
                    local.Select(c => c.MessagesOut).ToArray()));
                writes.BatchCommands.Add(Command("""
                    DELETE FROM realtime_connections c
                    WHERE NOT EXISTS (SELECT 1 FROM realtime_replicas r WHERE r.replica_id = c.replica_id AND r.seen_at > now() - $1::interval)
                    """, options.ReplicaExpiry));
                writes.BatchCommands.Add(Command("DELETE FROM realtime_replicas WHERE seen_at <= now() - $1::interval", options.ReplicaExpiry));
                writes.BatchCommands.Add(Command("DELETE FROM realtime_messages WHERE created_at < now() - $1::interval", options.MessageRetention));
                await writes.ExecuteNonQueryAsync(cancellationToken);
            }

            var replicas = new List<SnapshotReplica>();
            var connections = new List<SnapshotConnection>();
            await using (var reads = new NpgsqlBatch(connection))
            {
                reads.BatchCommands.Add(Command("""
                    SELECT replica_id, fleet_subscribers, stacks FROM realtime_replicas WHERE seen_at > now() - $1::interval
                    """, options.ReplicaExpiry));
                reads.BatchCommands.Add(Command("""
                    SELECT c.agent_id, c.replica_id, c.connection_id, c.connected_since
                    FROM realtime_connections c
                    JOIN realtime_replicas r ON r.replica_id = c.replica_id AND r.seen_at > now() - $1::interval
                    """, options.ReplicaExpiry));
                await using var reader = await reads.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    replicas.Add(new SnapshotReplica(reader.GetGuid(0), reader.GetInt32(1), reader.GetFieldValue<Guid[]>(2)));
                }

                await reader.NextResultAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    connections.Add(new SnapshotConnection(reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetFieldValue<DateTime>(3)));
                }
            }

            cluster.ApplySnapshot(fromVersion, connections, replicas);
            if (revalidate)
            {
                await CloseRevokedAsync(connection, local, cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The replica's row and its subscribers now, then a presence notice to the others: one round trip.</summary>
    public async Task PublishPresenceAsync(CancellationToken cancellationToken)
    {
        var presence = hub.Presence;
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(UpsertReplica(self.Id, presence));
        batch.BatchCommands.Add(Command("SELECT pg_notify($1, $2)", RealtimeBus.Channel, BusMessages.PresencePayload(self.Id, presence)));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task CloseRevokedAsync(NpgsqlConnection connection, List<AgentConnection> local, CancellationToken cancellationToken)
    {
        if (local.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand("""
            SELECT u.agent_id FROM unnest($1::uuid[], $2::text[]) AS u (agent_id, pak_hash)
            WHERE NOT EXISTS (SELECT 1 FROM agents a WHERE a.id = u.agent_id AND a.deleted_at IS NULL AND a.pak_hash = u.pak_hash)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. local.Select(c => c.AgentId)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. local.Select(c => c.PakHash)] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sockets.Close(reader.GetGuid(0), WebSocketCloseStatus.PolicyViolation, BusDispatcher.RevokedReason);
        }
    }

    private static NpgsqlBatchCommand UpsertReplica(Guid replica, Presence presence) => Command("""
        INSERT INTO realtime_replicas (replica_id, seen_at, fleet_subscribers, stack_subscribers, stacks)
        VALUES ($1, now(), $2, $3, $4)
        ON CONFLICT (replica_id) DO UPDATE SET seen_at = now(), fleet_subscribers = excluded.fleet_subscribers,
            stack_subscribers = excluded.stack_subscribers, stacks = excluded.stacks
        """, replica, presence.FleetSubscribers, presence.StackSubscribers, presence.Stacks.ToArray());

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value switch
            {
                DateTime[] timestamps => new NpgsqlParameter { Value = timestamps, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz },
                _ => new NpgsqlParameter { Value = value },
            });
        }

        return command;
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
