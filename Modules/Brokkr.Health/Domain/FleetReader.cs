using Brokkr.Contracts.Fleet;
using Brokkr.Shared.Configuration;
using Brokkr.Shared.Data;
using Brokkr.Shared.Http;
using LinqToDB;
using LinqToDB.Data;
using LinqToDB.Mapping;

namespace Brokkr.Health.Domain;

/// <summary>Which agents' records to read: one agent, one tenant's agents, or every live agent; and which page.</summary>
internal sealed record FleetScope(Guid? AgentId, Guid? GeneratorId, Paging Paging)
{
    public static FleetScope Agent(Guid agentId) => new(agentId, null, Paging.All);
}

/// <summary>
/// Fleet records (details §4.4, behaviour §9) in one statement, one round trip whatever the fleet's
/// size. Each figure is one grouped query over its own table, joined to the page of live agents by
/// agent id: pending objects from the view <c>agent_pending_objects</c> (incremental target state's
/// rules), work orders matched by explicit target, label or annotation (no registration gate, as
/// the reference) and claimed ones, failing and degraded health records (the stale ones of
/// superseded revisions included, as the reference counts them), and the newest event through the
/// (agent_id, created_at) index. For one agent every grouped query is narrowed to that agent, so it
/// costs index lookups only. Nothing is loaded into memory but the records themselves. WebSocket
/// presence comes from <see cref="IAgentConnections"/>, which lives in memory, not in the database.
/// </summary>
internal sealed class FleetReader(BrokkrDb db, TimeProvider time, BrokkrSettings settings, IAgentConnections connections)
{
    // {0}: which live agents (on a); {1}..{6}: the same narrowing inside each grouped query.
    private const string SqlTemplate = """
        WITH fleet AS (
            SELECT a.id, a.created_at, a.name, a.cluster_name, a.status, a.last_heartbeat, a.k8s_reachable, a.k8s_api_latency_ms
            FROM agents a
            WHERE a.deleted_at IS NULL AND {0}
            ORDER BY a.created_at, a.id
            LIMIT @limit OFFSET @offset
        ),
        pending_objects AS (
            SELECT p.agent_id, count(*) AS n
            FROM agent_pending_objects p
            WHERE (p.owed_since IS NULL OR p.owed_since > @marker_cutoff) AND {1}
            GROUP BY p.agent_id
        ),
        pending_work AS (
            SELECT matched.agent_id, count(*) AS n
            FROM (
                SELECT t.agent_id, t.work_order_id FROM work_order_targets t WHERE {2}
                UNION
                SELECT al.agent_id, wl.work_order_id FROM agent_labels al
                JOIN work_order_labels wl ON wl.label = al.label WHERE {3}
                UNION
                SELECT aa.agent_id, wa.work_order_id FROM agent_annotations aa
                JOIN work_order_annotations wa ON wa.key = aa.key AND wa.value = aa.value WHERE {4}
            ) matched
            JOIN work_orders w ON w.id = matched.work_order_id AND w.status = 'PENDING'
            GROUP BY matched.agent_id
        ),
        claimed_work AS (
            SELECT w.claimed_by AS agent_id, count(*) AS n
            FROM work_orders w
            WHERE w.status = 'CLAIMED' AND {5}
            GROUP BY w.claimed_by
        ),
        health AS (
            SELECT h.agent_id,
                   count(*) FILTER (WHERE h.status = 'failing') AS failing,
                   count(*) FILTER (WHERE h.status = 'degraded') AS degraded
            FROM deployment_health h
            WHERE h.status IN ('failing', 'degraded') AND {6}
            GROUP BY h.agent_id
        )
        SELECT a.id, a.name, a.cluster_name, a.status, a.last_heartbeat, a.k8s_reachable, a.k8s_api_latency_ms,
               coalesce(pending_objects.n, 0) AS pending_objects,
               coalesce(pending_work.n, 0) AS pending_work_orders,
               coalesce(claimed_work.n, 0) AS claimed_work_orders,
               last_event.created_at AS last_event_at,
               coalesce(health.failing, 0) AS health_failing,
               coalesce(health.degraded, 0) AS health_degraded
        FROM fleet a
        LEFT JOIN pending_objects ON pending_objects.agent_id = a.id
        LEFT JOIN pending_work ON pending_work.agent_id = a.id
        LEFT JOIN claimed_work ON claimed_work.agent_id = a.id
        LEFT JOIN health ON health.agent_id = a.id
        LEFT JOIN LATERAL (
            SELECT e.created_at FROM agent_events e
            WHERE e.agent_id = a.id AND e.deleted_at IS NULL
            ORDER BY e.created_at DESC
            LIMIT 1
        ) last_event ON true
        ORDER BY a.created_at, a.id
        """;

    private static readonly string AllAgents = Sql("true", agentColumn: null);

    private static readonly string OneAgent = Sql("a.id = @agent_id", agentColumn: "@agent_id");

    // A tenant is a live generator; an unknown or deleted one has no agents.
    private static readonly string TenantAgents = Sql("""
        EXISTS (
                SELECT 1 FROM agent_generator_registrations r
                JOIN generators g ON g.id = r.generator_id AND g.deleted_at IS NULL
                WHERE r.agent_id = a.id AND r.generator_id = @generator_id)
        """, agentColumn: null);

    /// <summary>The statement for a set of agents; with one agent's id, every grouped query is narrowed to it.</summary>
    private static string Sql(string agents, string? agentColumn)
    {
        string Narrow(string column) => agentColumn is null ? "true" : $"{column} = {agentColumn}";
        return string.Format(System.Globalization.CultureInfo.InvariantCulture, SqlTemplate,
            agents, Narrow("p.agent_id"), Narrow("t.agent_id"), Narrow("al.agent_id"), Narrow("aa.agent_id"), Narrow("w.claimed_by"), Narrow("h.agent_id"));
    }

    public async Task<IReadOnlyList<FleetAgentRecord>> ReadAsync(FleetScope scope, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var markerCutoff = now.AddDays(-Math.Max(settings.Broker.AgentEventsRetentionDays, 1));
        var parameters = new List<DataParameter>
        {
            new("limit", scope.Paging.Limit, DataType.Int32),
            new("offset", scope.Paging.Offset, DataType.Int32),
            new("marker_cutoff", markerCutoff, DataType.DateTimeOffset),
        };
        string sql;
        if (scope.AgentId is { } agentId)
        {
            sql = OneAgent;
            parameters.Add(new DataParameter("agent_id", agentId, DataType.Guid));
        }
        else if (scope.GeneratorId is { } generatorId)
        {
            sql = TenantAgents;
            parameters.Add(new DataParameter("generator_id", generatorId, DataType.Guid));
        }
        else
        {
            sql = AllAgents;
        }

        var rows = await db.QueryToListAsync<FleetRow>(sql, cancellationToken, [.. parameters]);
        return rows.ConvertAll(row => ToRecord(row, now));
    }

    private FleetAgentRecord ToRecord(FleetRow row, DateTime now)
    {
        var connected = connections.TryGetConnectedSince(row.Id, out var connectedSince);
        return new FleetAgentRecord(
            row.Id,
            row.Name,
            row.ClusterName,
            row.Status,
            connected,
            connected ? connectedSince : null,
            row.LastHeartbeat,
            AgeSeconds(row.LastHeartbeat, now),
            row.PendingObjects,
            row.PendingWorkOrders,
            row.ClaimedWorkOrders,
            row.LastEventAt,
            AgeSeconds(row.LastEventAt, now),
            row.HealthFailing,
            row.HealthDegraded,
            row.K8sReachable,
            row.K8sApiLatencyMs);
    }

    /// <summary>Whole seconds since a moment, truncated and never negative; null when it never happened.</summary>
    public static long? AgeSeconds(DateTime? then, DateTime now)
        => then is { } value ? Math.Max(0, (long)Math.Floor((now - value).TotalSeconds)) : null;

    internal sealed class FleetRow
    {
        [Column("id")] public Guid Id { get; set; }
        [Column("name")] public string Name { get; set; } = string.Empty;
        [Column("cluster_name")] public string ClusterName { get; set; } = string.Empty;
        [Column("status")] public string Status { get; set; } = string.Empty;
        [Column("last_heartbeat")] public DateTime? LastHeartbeat { get; set; }
        [Column("k8s_reachable")] public bool? K8sReachable { get; set; }
        [Column("k8s_api_latency_ms")] public long? K8sApiLatencyMs { get; set; }
        [Column("pending_objects")] public long PendingObjects { get; set; }
        [Column("pending_work_orders")] public long PendingWorkOrders { get; set; }
        [Column("claimed_work_orders")] public long ClaimedWorkOrders { get; set; }
        [Column("last_event_at")] public DateTime? LastEventAt { get; set; }
        [Column("health_failing")] public long HealthFailing { get; set; }
        [Column("health_degraded")] public long HealthDegraded { get; set; }
    }
}

/// <summary>No WebSocket connections: the default until the realtime module registers its registry.</summary>
internal sealed class NoAgentConnections : IAgentConnections
{
    public bool TryGetConnectedSince(Guid agentId, out DateTime connectedSince)
    {
        connectedSince = default;
        return false;
    }
}
