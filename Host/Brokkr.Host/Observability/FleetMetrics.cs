using System.Text.Json;
using Brokkr.Host.Jobs;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Configuration;
using Npgsql;
using Prometheus;

namespace Brokkr.Host.Observability;

/// <summary>
/// The fleet gauges of behaviour §15, refreshed by every replica on its own every 30 s (a Quartz job would
/// run on one replica only, and each replica exports its own <c>/metrics</c>) with one statement:
/// <c>brokkr_active_agents</c> (live agents whose status is <c>ACTIVE</c>), <c>brokkr_stacks_total</c> (live
/// stacks), <c>brokkr_deployment_objects_total</c> (live revisions of live stacks, deletion markers included),
/// <c>brokkr_agent_heartbeat_age_seconds{agent_id, agent_name}</c> and <c>brokkr_default_admin_pak_hash_in_use</c>.
/// <para>
/// The heartbeat gauge has one series per agent, so it is bounded: at most <see cref="HeartbeatSeriesLimit"/> live
/// agents that have sent a heartbeat, <c>ACTIVE</c> ones first and the stalest first among them (the ones an
/// alert is about). Series of agents that are gone, renamed or beyond the bound are removed at each refresh.
/// </para>
/// </summary>
internal sealed class FleetMetrics(
    NpgsqlDataSource dataSource,
    BrokkrSettings settings,
    JobsSettings jobs,
    TimeProvider clock,
    ILogger<FleetMetrics> logger) : BackgroundService
{
    public const int HeartbeatSeriesLimit = 1000;
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private static readonly Gauge ActiveAgents = Metrics.CreateGauge("brokkr_active_agents", "Number of active agents");

    private static readonly Gauge HeartbeatAge = Metrics.CreateGauge(
        "brokkr_agent_heartbeat_age_seconds", "Time since last heartbeat per agent in seconds", ["agent_id", "agent_name"]);

    private static readonly Gauge Stacks = Metrics.CreateGauge("brokkr_stacks_total", "Total number of stacks");

    private static readonly Gauge DeploymentObjects = Metrics.CreateGauge("brokkr_deployment_objects_total", "Total number of deployment objects");

    private static readonly Gauge DefaultAdminHash = Metrics.CreateGauge(
        "brokkr_default_admin_pak_hash_in_use", "1 when the admin PAK is the published development PAK (stored or configured), else 0");

    private const string RefreshSql = """
        SELECT
            (SELECT count(*) FROM agents WHERE deleted_at IS NULL AND status = 'ACTIVE'),
            (SELECT count(*) FROM stacks WHERE deleted_at IS NULL),
            (SELECT count(*) FROM deployment_objects d JOIN stacks s ON s.id = d.stack_id
             WHERE d.deleted_at IS NULL AND s.deleted_at IS NULL),
            EXISTS (SELECT 1 FROM admin_role WHERE lower(pak_hash) = @development_hash),
            (SELECT coalesce(json_agg(json_build_array(h.id, h.name, h.age)), '[]'::json) FROM (
                SELECT id, name, extract(epoch FROM now() - last_heartbeat)::float8 AS age
                FROM agents
                WHERE deleted_at IS NULL AND last_heartbeat IS NOT NULL
                ORDER BY (status = 'ACTIVE') DESC, last_heartbeat, id
                LIMIT @limit) h)
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!jobs.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Fleet metrics refresh failed; the gauges keep their last values");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One refresh: one statement, then every gauge set from its result.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(RefreshSql);
        command.Parameters.AddWithValue("development_hash", Pak.PublishedDevelopmentHash);
        command.Parameters.AddWithValue("limit", HeartbeatSeriesLimit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        ActiveAgents.Set(reader.GetInt64(0));
        Stacks.Set(reader.GetInt64(1));
        DeploymentObjects.Set(reader.GetInt64(2));
        var configured = string.Equals(settings.Broker.PakHash?.Trim(), Pak.PublishedDevelopmentHash, StringComparison.OrdinalIgnoreCase);
        DefaultAdminHash.Set(reader.GetBoolean(3) || configured ? 1 : 0);
        SetHeartbeatAges(reader.GetString(4));
    }

    private static void SetHeartbeatAges(string json)
    {
        var current = new HashSet<(string, string)>();
        using (var document = JsonDocument.Parse(json))
        {
            foreach (var agent in document.RootElement.EnumerateArray())
            {
                var id = agent[0].GetString()!;
                var name = agent[1].GetString()!;
                current.Add((id, name));
                HeartbeatAge.WithLabels(id, name).Set(Math.Max(0, agent[2].GetDouble()));
            }
        }

        foreach (var labels in HeartbeatAge.GetAllLabelValues().ToList())
        {
            if (!current.Contains((labels[0], labels[1])))
            {
                HeartbeatAge.RemoveLabelled(labels);
            }
        }
    }
}
