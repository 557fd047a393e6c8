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
/// size. The page of live agents is chosen first; each figure is then an indexed lookup per agent
/// (LATERAL), so no table is read whole and a page or one agent costs only its own rows:
/// pending objects from the view <c>agent_pending_objects</c> (incremental target state's rules),
/// work orders matched by explicit target, label or annotation (no registration gate, as the
/// reference) and claimed ones, the newest event, and failing and degraded health records, the
/// stale ones of superseded revisions included as in the reference. WebSocket presence comes from
/// <see cref="IAgentConnections"/>, which lives in memory, not in the database.
/// </summary>
internal sealed class FleetReader(BrokkrDb db, TimeProvider time, BrokkrSettings settings, IAgentConnections connections)
{
    private const string SqlTemplate = """
        SELECT a.id, a.name, a.cluster_name, a.status, a.last_heartbeat, a.k8s_reachable, a.k8s_api_latency_ms,
               pending_objects.n AS pending_objects, pending_work.n AS pending_work_orders, claimed_work.n AS claimed_work_orders,
               last_event.created_at AS last_event_at, health.failing AS health_failing, health.degraded AS health_degraded
        FROM (
            SELECT a.id, a.created_at, a.name, a.cluster_name, a.status, a.last_heartbeat, a.k8s_reachable, a.k8s_api_latency_ms
            FROM agents a
            WHERE a.deleted_at IS NULL AND {0}
            ORDER BY a.created_at, a.id
            LIMIT @limit OFFSET @offset
        ) a
        CROSS JOIN LATERAL (
            SELECT count(*) AS n FROM agent_pending_objects p
            WHERE p.agent_id = a.id AND (p.owed_since IS NULL OR p.owed_since > @marker_cutoff)
        ) pending_objects
        CROSS JOIN LATERAL (
            SELECT count(*) AS n
            FROM (
                SELECT t.work_order_id FROM work_order_targets t WHERE t.agent_id = a.id
                UNION
                SELECT wl.work_order_id FROM agent_labels al JOIN work_order_labels wl ON wl.label = al.label WHERE al.agent_id = a.id
                UNION
                SELECT wa.work_order_id FROM agent_annotations aa
                JOIN work_order_annotations wa ON wa.key = aa.key AND wa.value = aa.value WHERE aa.agent_id = a.id
            ) matched
            JOIN work_orders w ON w.id = matched.work_order_id AND w.status = 'PENDING'
        ) pending_work
        CROSS JOIN LATERAL (
            SELECT count(*) AS n FROM work_orders w WHERE w.claimed_by = a.id AND w.status = 'CLAIMED'
        ) claimed_work
        LEFT JOIN LATERAL (
            SELECT e.created_at FROM agent_events e
            WHERE e.agent_id = a.id AND e.deleted_at IS NULL
            ORDER BY e.created_at DESC
            LIMIT 1
        ) last_event ON true
        CROSS JOIN LATERAL (
            SELECT count(*) FILTER (WHERE h.status = 'failing') AS failing, count(*) FILTER (WHERE h.status = 'degraded') AS degraded
            FROM deployment_health h
            WHERE h.agent_id = a.id AND h.status IN ('failing', 'degraded')
        ) health
        ORDER BY a.created_at, a.id
        """;

    private static readonly string AllAgents = string.Format(System.Globalization.CultureInfo.InvariantCulture, SqlTemplate, "true");

    private static readonly string OneAgent = string.Format(System.Globalization.CultureInfo.InvariantCulture, SqlTemplate, "a.id = @agent_id");

    // A tenant is a live generator; an unknown or deleted one has no agents.
    private static readonly string TenantAgents = string.Format(System.Globalization.CultureInfo.InvariantCulture, SqlTemplate, """
        EXISTS (
                SELECT 1 FROM agent_generator_registrations r
                JOIN generators g ON g.id = r.generator_id AND g.deleted_at IS NULL
                WHERE r.agent_id = a.id AND r.generator_id = @generator_id)
        """);

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
