using System.Net;
using Brokkr.Audit.Features;
using Brokkr.Shared.Jobs;
using Brokkr.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;
using Xunit.Abstractions;

namespace Brokkr.Host.Tests.Jobs;

/// <summary>
/// Replicas of the broker (real Kestrel hosts in this process) on one database: the clustered store
/// runs each fire of a job once, never two runs of a job at a time, and each start re-synchronises
/// the stored triggers with that replica's registrations.
/// </summary>
public sealed class ClusteredJobsTests(ITestOutputHelper log) : IAsyncLifetime
{
    private string _database = string.Empty;

    public async Task InitializeAsync() => _database = await BrokkrApiFactory.CreateMigratedDatabaseAsync();

    public Task DisposeAsync() => TestDatabase.DropAsync(_database);

    [Fact]
    public async Task Given_two_replicas_then_each_fire_runs_once_never_beside_another_run_and_survives_a_replica_stopping()
    {
        // Each run takes longer than the interval, so the next fire is always due while a run is in progress.
        var probe = new Probe(TimeSpan.FromMilliseconds(1300));
        var job = probe.Job("cluster-probe", TimeSpan.FromSeconds(1));
        var settings = new Dictionary<string, string> { ["Jobs:enabled"] = "true" };
        var first = await KestrelBroker.StartAsync(_database, settings, s => s.AddSingleton(job));
        var second = await KestrelBroker.StartAsync(_database, settings, s => s.AddSingleton(job));
        var stopped = new List<KestrelBroker>();
        try
        {
            await probe.WaitForAsync(5);
            (await ScalarAsync<long>("SELECT count(*) FROM qrtz_scheduler_state")).ShouldBe(2, "both replicas are members of the cluster");

            // The replica that ran the latest fire stops; the other one carries on with the same trigger.
            var latest = (await RunsAsync("cluster-probe")).Last().Instance;
            var stopping = await first.InstanceIdAsync() == latest ? first : second;
            stopped.Add(stopping);
            await stopping.DisposeAsync();
            await probe.WaitForAsync(probe.Completed + 3);
        }
        finally
        {
            foreach (var broker in new[] { first, second }.Except(stopped))
            {
                await broker.DisposeAsync();
            }
        }

        var runs = await RunsAsync("cluster-probe");
        log.WriteLine($"{probe.Completed} runs, at most {probe.MaxConcurrent} at a time; by instance: {string.Join(", ", runs.GroupBy(r => r.Instance).Select(g => $"{g.Key}: {g.Count()}"))}");
        probe.MaxConcurrent.ShouldBe(1);
        var spans = probe.Spans.OrderBy(s => s.Start).ToList();
        for (var i = 1; i < spans.Count; i++)
        {
            spans[i].Start.ShouldBeGreaterThanOrEqualTo(spans[i - 1].End, "runs of one job never overlap");
        }

        runs.Count.ShouldBe(probe.Completed, "every run is recorded once");
        runs.Select(r => r.ScheduledAt).Distinct().Count().ShouldBe(runs.Count, "no fire runs twice");
        runs.ShouldAllBe(r => r.Outcome == "ok");
        runs.Select(r => r.Instance).Distinct().Count().ShouldBe(2, "the surviving replica took the job over");
    }

    [Fact]
    public async Task Given_a_replica_restarted_with_another_interval_then_the_trigger_follows_and_unregistered_jobs_go()
    {
        var probe = new Probe(TimeSpan.Zero);
        var settings = new Dictionary<string, string> { ["Jobs:enabled"] = "true" };
        await using (var old = await KestrelBroker.StartAsync(_database, settings, s =>
                     {
                         s.AddSingleton(probe.Job("resync-probe", TimeSpan.FromHours(1)));
                         s.AddSingleton(probe.Job("retired-job", TimeSpan.FromHours(1)));
                     }))
        {
            var scheduler = await old.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
            ((ISimpleTrigger)(await scheduler.GetTrigger(new TriggerKey("resync-probe", "brokkr")))!).RepeatInterval.ShouldBe(TimeSpan.FromHours(1));
            (await (await old.Admin().PostAsync("/api/v1/admin/jobs/resync-probe/pause", null)).JsonAsync(HttpStatusCode.OK))["state"]!.GetValue<string>().ShouldBe("paused");
        }

        await using var renewed = await KestrelBroker.StartAsync(_database, settings, s => s.AddSingleton(probe.Job("resync-probe", TimeSpan.FromHours(2))));
        var current = await renewed.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        var trigger = (ISimpleTrigger)(await current.GetTrigger(new TriggerKey("resync-probe", "brokkr")))!;
        trigger.RepeatInterval.ShouldBe(TimeSpan.FromHours(2));
        (await current.GetTriggerState(trigger.Key)).ShouldBe(TriggerState.Paused, "a pause survives the new interval");
        (await current.GetJobDetail(new JobKey("retired-job", "brokkr"))).ShouldBeNull();
        (await ScalarAsync<long>("SELECT count(*) FROM qrtz_triggers WHERE trigger_name = 'retired-job'")).ShouldBe(0);
        (await current.GetJobDetail(new JobKey("audit-log-cleanup", "brokkr"))).ShouldNotBeNull();
    }

    [Fact]
    public async Task Given_a_database_schema_then_the_scheduler_tables_live_there_and_jobs_run_from_them()
    {
        var database = await TestDatabase.CreateEmptyAsync();
        try
        {
            var settings = new Dictionary<string, string> { ["Jobs:enabled"] = "true", ["Database:Schema"] = "tenant_jobs" };
            await using var broker = await KestrelBroker.StartAsync(database, settings);

            (await (await broker.Admin().PostAsync("/api/v1/admin/jobs/audit-log-cleanup/run", null)).JsonAsync(HttpStatusCode.Accepted))["key"]!.GetValue<string>().ShouldBe("audit-log-cleanup");
            await JobsWire.WaitForAsync(broker.Admin(), "audit-log-cleanup", j => j["last_outcome"]?.GetValue<string>() == "ok");

            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                SELECT (SELECT count(*) FROM tenant_jobs.qrtz_job_details WHERE job_group = 'brokkr'),
                       (SELECT count(*) FROM tenant_jobs.job_runs WHERE job_key = 'audit-log-cleanup' AND manual),
                       (SELECT count(*) FROM tenant_jobs.qrtz_scheduler_state),
                       to_regclass('public.qrtz_triggers') IS NULL AND to_regclass('public.job_runs') IS NULL
                """, connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            reader.GetInt64(0).ShouldBeGreaterThanOrEqualTo(2);
            reader.GetInt64(1).ShouldBe(1);
            reader.GetInt64(2).ShouldBe(1);
            reader.GetBoolean(3).ShouldBeTrue("nothing of the scheduler is created outside the schema");
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task<List<(DateTime? ScheduledAt, string Instance, string Outcome)>> RunsAsync(string key)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT scheduled_at, instance, outcome FROM job_runs WHERE job_key = $1 AND NOT manual ORDER BY id", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await using var reader = await command.ExecuteReaderAsync();
        var runs = new List<(DateTime?, string, string)>();
        while (await reader.ReadAsync())
        {
            runs.Add((reader.IsDBNull(0) ? null : reader.GetDateTime(0), reader.GetString(1), reader.GetString(2)));
        }

        return runs;
    }

    /// <summary>
    /// A job whose request factory takes a while and counts how many runs are inside it at once, across
    /// every replica in this process; the request itself is a real one (the audit-log cleanup).
    /// </summary>
    private sealed class Probe(TimeSpan duration)
    {
        private readonly Lock _gate = new();
        private int _running;

        public int MaxConcurrent { get; private set; }
        public int Completed { get; private set; }
        public List<(DateTime Start, DateTime End)> Spans { get; } = [];

        public async Task WaitForAsync(int completed)
        {
            var deadline = DateTime.UtcNow.AddSeconds(40);
            while (Completed < completed)
            {
                DateTime.UtcNow.ShouldBeLessThan(deadline, $"only {Completed} of {completed} runs");
                await Task.Delay(100);
            }
        }

        public ScheduledRequest Job(string key, TimeSpan interval)
            => new(key, "Test probe", _ => interval, () =>
            {
                var start = DateTime.UtcNow;
                lock (_gate)
                {
                    _running++;
                    MaxConcurrent = Math.Max(MaxConcurrent, _running);
                }

                Thread.Sleep(duration);
                lock (_gate)
                {
                    _running--;
                    Completed++;
                    Spans.Add((start, DateTime.UtcNow));
                }

                return new CleanupAuditLogs.Command();
            });
    }
}
