using Brokkr.Replicas.Tests.Support;

namespace Brokkr.Replicas.Tests;

/// <summary>
/// Three broker processes with the clustered scheduler on one database: every fire of a job's
/// schedule runs on exactly one of them (ADR 0014), as recorded in the run history the jobs
/// dashboard reads.
/// </summary>
public sealed class ScheduledJobsTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Three_replicas_run_each_fire_of_a_schedule_once()
    {
        var database = await BrokkrApiFactory.CreateMigratedDatabaseAsync();
        var brokers = new List<BrokerProcess>();
        try
        {
            brokers.AddRange(await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => BrokerProcess.StartAsync(database, KilledClaimsTests.JobsOn))));
            await Given.EventuallyAsync(
                async () => await Sql.ScalarAsync(database, "SELECT count(*) FROM qrtz_scheduler_state") == 3,
                "the three schedulers check in", TimeSpan.FromSeconds(30));
            var since = DateTime.UtcNow;
            await Task.Delay(Window);

            var fires = await Sql.RowsAsync(database, $"""
                SELECT job_key || ' ' || to_char(scheduled_at, 'HH24:MI:SS.MS'), count(*), string_agg(instance, ',')
                FROM job_runs
                WHERE job_key IN ('webhook-delivery', 'work-order-maintenance') AND NOT manual AND scheduled_at >= '{since:O}'::timestamptz
                GROUP BY job_key, scheduled_at ORDER BY job_key, scheduled_at
                """);

            // Both 1 s schedules fired throughout the window (not vacuous), and no fire ran twice.
            foreach (var job in new[] { "webhook-delivery", "work-order-maintenance" })
            {
                fires.Count(f => ((string)f[0]!).StartsWith(job + " ", StringComparison.Ordinal)).ShouldBeGreaterThanOrEqualTo((int)(Window.TotalSeconds * 0.6), job);
            }

            fires.Where(f => (long)f[1]! > 1).Select(f => $"{f[0]} ran {f[1]} times, on {f[2]}").ShouldBeEmpty();
            brokers.ShouldAllBe(broker => !broker.HasExited);
        }
        finally
        {
            foreach (var broker in brokers)
            {
                await broker.DisposeAsync();
            }

            await TestDatabase.DropAsync(database);
        }
    }
}
