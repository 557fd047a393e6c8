using Brokkr.Contracts.Stacks;
using Brokkr.Shared.Configuration;
using Npgsql;
using NpgsqlTypes;

namespace Brokkr.Stacks.Data;

/// <summary>What to read: the agent, the mode, the cursor, and the client's cached tags.</summary>
internal sealed record TargetStateRequest(Guid AgentId, bool Full, long? SinceSequence, IReadOnlyList<string> IfNoneMatch)
{
    /// <summary>The part of the entity tag that is not the object list: agent, effective mode, cursor. Also the cache key; built once.</summary>
    public string Scope { get; } = $"{AgentId:D}|{(Full ? "full" : "incremental")}|{SinceSequence?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}";
}

/// <summary>The entity tag, and the objects unless the client's tag matched.</summary>
internal sealed record TargetStateAnswer(string ETag, IReadOnlyList<DeploymentObject>? Objects);

/// <summary>
/// Target state (behaviour §4, details §5), the broker's hottest path: every agent polls it every
/// few seconds. One prepared statement, one round trip, driven by the agent's id through indexes
/// only: the association view with the agent pushed into each branch, the newest live revision per
/// stack from (stack_id, sequence_id DESC), acknowledgements from agent_events (agent_id,
/// deployment_object_id), owed deletion markers from stack_deletion_deliveries' primary key. The
/// entity tag is computed in the database too, so a matching If-None-Match never reads YAML.
/// </summary>
internal sealed class TargetStateReader(NpgsqlDataSource dataSource, BrokkrSettings settings)
{
    /// <summary>In full mode a deletion marker is offered this long even after the agent acknowledged it.</summary>
    public const int FullModeMarkerDays = 7;

    // $1 agent, $2 full, $3 since (-1: none), $4 marker retention days, $5 full-mode marker days,
    // $6 If-None-Match tags, $7 tag scope.
    internal const string Sql = """
        WITH agent AS (
            SELECT a.id FROM agents a WHERE a.id = $1 AND a.deleted_at IS NULL
        ),
        candidates AS (
            SELECT latest.id, latest.sequence_id
            FROM stack_agent_associations association
            JOIN stacks s ON s.id = association.stack_id AND s.deleted_at IS NULL
            CROSS JOIN LATERAL (
                SELECT o.id, o.sequence_id
                FROM deployment_objects o
                WHERE o.stack_id = s.id AND o.deleted_at IS NULL
                ORDER BY o.sequence_id DESC
                LIMIT 1
            ) latest
            WHERE association.agent_id = $1
              AND ($2 OR NOT EXISTS (
                  SELECT 1 FROM agent_events e
                  WHERE e.agent_id = $1 AND e.deployment_object_id = latest.id AND e.deleted_at IS NULL))
            UNION ALL
            SELECT marker.id, marker.sequence_id
            FROM stack_deletion_deliveries delivery
            JOIN deployment_objects marker ON marker.id = delivery.marker_id AND marker.deleted_at IS NULL
            WHERE delivery.agent_id = $1
              AND delivery.created_at > now() - make_interval(days => $4)
              AND (($2 AND delivery.created_at > now() - make_interval(days => $5))
                   OR NOT EXISTS (
                       SELECT 1 FROM agent_events e
                       WHERE e.agent_id = $1 AND e.deployment_object_id = marker.id AND e.deleted_at IS NULL))
        ),
        selected AS (
            SELECT c.id, c.sequence_id FROM candidates c
            WHERE c.sequence_id > $3 AND EXISTS (SELECT 1 FROM agent)
        ),
        tag AS (
            SELECT encode(sha256(convert_to(
                       $7 || '|' || coalesce(string_agg(s.id::text || ':' || s.sequence_id::text, ',' ORDER BY s.sequence_id DESC), ''),
                       'UTF8')), 'hex') AS etag
            FROM selected s
        )
        SELECT t.etag, d.id, d.created_at, d.updated_at, d.deleted_at, d.sequence_id, d.stack_id,
               d.yaml_content, d.yaml_checksum, d.submitted_at, d.is_deletion_marker
        FROM tag t
        LEFT JOIN (selected s JOIN deployment_objects d ON d.id = s.id)
            ON NOT (t.etag = ANY($6) OR '*' = ANY($6))
        ORDER BY d.sequence_id DESC
        """;

    public async Task<TargetStateAnswer> ReadAsync(TargetStateRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(Sql, connection)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid> { NpgsqlDbType = NpgsqlDbType.Uuid, TypedValue = request.AgentId },
                new NpgsqlParameter<bool> { NpgsqlDbType = NpgsqlDbType.Boolean, TypedValue = request.Full },
                new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = request.SinceSequence ?? -1 },
                new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer, TypedValue = Math.Max(settings.Broker.AgentEventsRetentionDays, 1) },
                new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer, TypedValue = FullModeMarkerDays },
                new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = [.. request.IfNoneMatch] },
                new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = request.Scope },
            },
        };

        // Prepared once per physical connection and kept by the pool; later calls skip parsing and planning.
        await command.PrepareAsync(cancellationToken);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        string? etag = null;
        var objects = new List<DeploymentObject>();
        while (await reader.ReadAsync(cancellationToken))
        {
            etag ??= reader.GetString(0);
            if (reader.IsDBNull(1))
            {
                continue;
            }

            objects.Add(new DeploymentObject(
                reader.GetGuid(1),
                reader.GetFieldValue<DateTime>(2),
                reader.GetFieldValue<DateTime>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTime>(4),
                reader.GetInt64(5),
                reader.GetGuid(6),
                reader.GetString(7),
                reader.GetString(8),
                reader.GetFieldValue<DateTime>(9),
                reader.GetBoolean(10)));
        }

        if (etag is null)
        {
            throw new InvalidOperationException("The target state query returned no entity tag");
        }

        return new TargetStateAnswer(etag, Domain.EntityTags.Matches(request.IfNoneMatch, etag) ? null : objects);
    }
}
