using System.Diagnostics;
using Npgsql;

namespace Brokkr.Health.Tests;

/// <summary>
/// The fleet over a few hundred agents: one statement whatever the fleet's size, and every record's
/// figures equal to what each agent's own data says.
/// </summary>
public sealed class FleetScaleTests(ClockedApiFactory api) : IClassFixture<ClockedApiFactory>, IDisposable
{
    private const int AgentCount = 300;
    private readonly List<string> _statements = [];
    private readonly ActivityListener _listener = new();
    private string? _database;

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task A_fleet_of_hundreds_is_read_in_one_round_trip_with_each_agents_own_figures()
    {
        var given = new Scenario(api);
        var tenant = await given.GeneratorAsync();
        var stack = await given.StackAsync(tenant.Id);
        await given.StackLabelAsync(stack, "scale");
        var revision = (await given.DeploymentObjectAsync(stack, Wire.Yaml)).Id();
        await SeedAsync(tenant.Id, revision);
        var admin = api.Admin();
        (await admin.GetAsync("/api/v1/fleet")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var (fleet, statements) = await CountStatementsAsync(async () => await (await admin.GetAsync($"/api/v1/fleet?pak_id={tenant.Id}")).ArrayAsync());

        statements.ShouldBe(1, string.Join(Environment.NewLine, _statements));
        fleet.Count.ShouldBe(AgentCount);
        foreach (var record in fleet.Select(r => r!))
        {
            var n = int.Parse(record.Str("name")["scale-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            record.Str("cluster_name").ShouldBe($"cluster-{n % 7}");
            record.Long("pending_object_count").ShouldBe(n % 3 == 0 ? 0 : 1, record.Str("name"));
            record.Long("pending_work_orders").ShouldBe(n % 2 == 0 ? 2 : 1, record.Str("name"));
            record.Long("claimed_work_orders").ShouldBe(n % 10 == 0 ? 1 : 0, record.Str("name"));
            record.Long("health_failing").ShouldBe(n % 5 == 0 ? 1 : 0, record.Str("name"));
            record.Long("health_degraded").ShouldBe(n % 5 == 1 ? 1 : 0, record.Str("name"));
            record.Long("heartbeat_age_seconds").ShouldBe(n);
            if (n % 3 == 0)
            {
                record.Long("seconds_since_last_event").ShouldBe(2 * n);
            }
            else
            {
                record["last_event_at"].ShouldBeNull();
            }
        }

        var sample = fleet.Select(r => r!).Where((_, i) => i % 50 == 0).ToList();
        foreach (var record in sample)
        {
            (await api.TargetStateCountAsync(record.Id("agent_id"))).ShouldBe((int)record.Long("pending_object_count"));
        }

        var (_, oneAgent) = await CountStatementsAsync(async () => await api.FleetStatusAsync(sample[0].Id("agent_id")));
        oneAgent.ShouldBeLessThanOrEqualTo(3, string.Join(Environment.NewLine, _statements));
    }

    /// <summary>
    /// Agents scale-1..scale-300, registered with the tenant and labelled into its stack; every third
    /// acknowledged the revision; work orders by label (all) and by explicit target (even ones); a
    /// claim on every tenth; a failing record on n%5==0, a degraded one on n%5==1; heartbeat n s ago.
    /// </summary>
    private async Task SeedAsync(Guid tenant, Guid revision)
    {
        var now = api.Now;
        await api.ExecuteAsync(
            """
            INSERT INTO agents (id, name, cluster_name, status, last_heartbeat, created_at)
            SELECT gen_random_uuid(), 'scale-' || n, 'cluster-' || (n % 7), 'ACTIVE', @now - make_interval(secs => n), @now + make_interval(secs => n)
            FROM generate_series(1, 300) n;
            INSERT INTO agent_generator_registrations (agent_id, generator_id)
            SELECT a.id, g.id FROM agents a CROSS JOIN generators g
            WHERE a.name LIKE 'scale-%' AND (g.id = @tenant OR g.name = '__system__');
            INSERT INTO agent_labels (agent_id, label) SELECT id, 'scale' FROM agents WHERE name LIKE 'scale-%';
            INSERT INTO agent_events (agent_id, deployment_object_id, event_type, status, created_at)
            SELECT id, @revision, 'DEPLOY', 'SUCCESS', @now - make_interval(secs => 2 * substr(name, 7)::int)
            FROM agents WHERE name LIKE 'scale-%' AND substr(name, 7)::int % 3 = 0;
            INSERT INTO work_orders (id, work_type, yaml_content) VALUES ('00000000-0000-7000-8000-000000000001', 'custom', 'kind: Job');
            INSERT INTO work_order_labels (work_order_id, label) VALUES ('00000000-0000-7000-8000-000000000001', 'scale');
            INSERT INTO work_orders (id, work_type, yaml_content) VALUES ('00000000-0000-7000-8000-000000000002', 'custom', 'kind: Job');
            INSERT INTO work_order_targets (work_order_id, agent_id)
            SELECT '00000000-0000-7000-8000-000000000002', id FROM agents WHERE name LIKE 'scale-%' AND substr(name, 7)::int % 2 = 0;
            INSERT INTO work_orders (work_type, yaml_content, status, claimed_by, claimed_at)
            SELECT 'custom', 'kind: Job', 'CLAIMED', id, @now FROM agents WHERE name LIKE 'scale-%' AND substr(name, 7)::int % 10 = 0;
            INSERT INTO deployment_health (agent_id, deployment_object_id, status, checked_at)
            SELECT id, @revision, CASE WHEN substr(name, 7)::int % 5 = 0 THEN 'failing' ELSE 'degraded' END, @now
            FROM agents WHERE name LIKE 'scale-%' AND substr(name, 7)::int % 5 IN (0, 1);
            ANALYZE;
            """,
            ("now", now), ("tenant", tenant), ("revision", revision));
    }

    /// <summary>The SQL statements the broker sends to this test's database while <paramref name="action"/> runs.</summary>
    private async Task<(T Result, int Statements)> CountStatementsAsync<T>(Func<Task<T>> action)
    {
        _database ??= new NpgsqlConnectionStringBuilder(api.ConnectionString).Database;
        lock (_statements)
        {
            _statements.Clear();
        }

        _listener.ShouldListenTo = source => source.Name == "Npgsql";
        _listener.Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded;
        _listener.ActivityStopped = activity =>
        {
            // The PAK lookup is not the fleet's: the broker's PAK cache may be cleared at any moment
            // (its change listener clears it whenever it (re)connects), so it is left out of the count.
            if (activity.TagObjects.Any(t => Equals(t.Value as string, _database))
                && !activity.TagObjects.Any(t => t.Value is string text && text.Contains("FROM admin_role", StringComparison.Ordinal)))
            {
                lock (_statements)
                {
                    _statements.Add(activity.DisplayName + ": " + string.Join(", ", activity.TagObjects.Select(t => $"{t.Key}={t.Value}")));
                }
            }
        };
        ActivitySource.AddActivityListener(_listener);
        var result = await action();
        lock (_statements)
        {
            _statements.ShouldNotBeEmpty("no Npgsql activity was observed for this database");
            return (result, _statements.Count);
        }
    }
}
