using Brokkr.Contracts.Agents;
using Brokkr.Shared.Data;
using LinqToDB;
using LinqToDB.Data;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agents.Ingest;

/// <summary>
/// Heartbeats of every agent, REST and WebSocket alike, written in groups: one UPDATE per batch
/// (one round trip, one WAL flush) instead of one per heartbeat.
/// </summary>
internal sealed class HeartbeatWriter(IServiceScopeFactory scopes, ILogger<HeartbeatWriter> logger)
    : GroupCommit<RecordAgentHeartbeat, Unit>(scopes, logger, capacity: 10_000, maxWeight: 2_000)
{
    // A row without a report (reachable NULL) only moves last_heartbeat, as a lone plain beat would.
    private const string BeatSql = """
        UPDATE agents a
        SET last_heartbeat = now(),
            k8s_reachable = CASE WHEN b.reachable IS NULL THEN a.k8s_reachable ELSE b.reachable END,
            k8s_api_latency_ms = CASE WHEN b.reachable IS NULL THEN a.k8s_api_latency_ms ELSE b.latency END,
            k8s_reported_at = CASE WHEN b.reachable IS NULL THEN a.k8s_reported_at ELSE now() END
        FROM unnest(@ids::uuid[], @reachable::boolean[], @latency::integer[]) AS b (id, reachable, latency)
        WHERE a.id = b.id AND a.deleted_at IS NULL
        """;

    protected override async Task<Outcome[]> WriteAsync(IServiceProvider services, IReadOnlyList<RecordAgentHeartbeat> items, CancellationToken cancellationToken)
    {
        var beats = Merge(items);
        var db = services.GetRequiredService<BrokkrDb>();
        await db.ExecuteAsync(BeatSql, cancellationToken,
            new DataParameter("ids", beats.Select(b => b.AgentId).ToArray()),
            new DataParameter("reachable", beats.Select(b => b.Reachable).ToArray()),
            new DataParameter("latency", beats.Select(b => b.LatencyMs).ToArray()));
        return [.. items.Select(_ => Outcome.Of(Unit.Value))];
    }

    /// <summary>
    /// One row per agent, as if the batch's heartbeats had been applied in order: the last report
    /// present wins (a plain beat keeps the one before it). Rows go in id order, so concurrent batches
    /// of several replicas lock the same agents in the same order.
    /// </summary>
    internal static List<(Guid AgentId, bool? Reachable, int? LatencyMs)> Merge(IReadOnlyList<RecordAgentHeartbeat> items)
    {
        var latest = new Dictionary<Guid, (bool? Reachable, int? LatencyMs)>();
        foreach (var item in items)
        {
            if (item.Report is { K8sReachable: { } reachable } report)
            {
                latest[item.AgentId] = (reachable, report.K8sApiLatencyMs);
            }
            else
            {
                latest.TryAdd(item.AgentId, (null, null));
            }
        }

        return [.. latest.OrderBy(p => p.Key).Select(p => (p.Key, p.Value.Reachable, p.Value.LatencyMs))];
    }
}
