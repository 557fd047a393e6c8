using Npgsql;
using Quartz;

namespace Brokkr.Host.Jobs;

/// <summary>
/// Brings the clustered store in line with this broker's registrations before the scheduler starts:
/// every registered job exists with its trigger, a trigger whose interval differs from the configured
/// one is replaced (keeping a pause), and jobs no longer registered are deleted. Replicas starting
/// together take turns through an advisory lock, so the store sees one synchronisation at a time.
/// </summary>
internal sealed class JobSynchronizer(
    ISchedulerFactory schedulers,
    ScheduledJobs jobs,
    NpgsqlDataSource dataSource,
    TimeProvider clock,
    ILogger<JobSynchronizer> logger) : IHostedService
{
    private const long LockKey = 0x6272_6f6b_6a6f; // "brokjo"

    public Task StartAsync(CancellationToken cancellationToken) => ResynchronizeAsync(cancellationToken);

    /// <summary>
    /// Brings the store in line again, after a configuration reload changed an interval. The store is
    /// shared, so the new trigger holds for every replica.
    /// </summary>
    public async Task ResynchronizeAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", connection))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await SynchronizeAsync(scheduler, cancellationToken);
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal async Task SynchronizeAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        foreach (var job in jobs.All)
        {
            await scheduler.AddJob(JobTriggers.Job(job), AddJobOptions.Replacing, cancellationToken);
            var triggerKey = JobTriggers.TriggerKeyFor(job.Key);
            var existing = await scheduler.GetTrigger(triggerKey, cancellationToken);
            if (existing is ISimpleTrigger simple && simple.RepeatInterval == job.Interval)
            {
                continue;
            }

            var now = clock.GetUtcNow();
            if (existing is null)
            {
                await scheduler.ScheduleJob(JobTriggers.Trigger(job, now), cancellationToken: cancellationToken);
                logger.LogInformation("Job {Job} scheduled every {Interval}", job.Key, job.Interval);
                continue;
            }

            // The interval changed: keep the rhythm from the last fire where that is still ahead, and a pause.
            var paused = await scheduler.GetTriggerState(triggerKey, cancellationToken) == TriggerState.Paused;
            var next = existing.PreviousFireTimeUtc is { } previous && previous + job.Interval > now ? previous + job.Interval : now;
            await scheduler.RescheduleJob(triggerKey, JobTriggers.Trigger(job, next), cancellationToken);
            if (paused)
            {
                await scheduler.PauseTrigger(triggerKey, cancellationToken);
            }

            logger.LogInformation("Job {Job} rescheduled every {Interval} (was {Previous})", job.Key, job.Interval, (existing as ISimpleTrigger)?.RepeatInterval);
        }

        foreach (var stored in (await scheduler.QueryJobs(new JobQuery { Group = GroupMatcher<JobKey>.GroupEquals(ScheduledJobs.Group) }, cancellationToken)).Items)
        {
            if (jobs.Find(stored.Key.Name) is null)
            {
                await scheduler.DeleteJob(stored.Key, cancellationToken);
                logger.LogInformation("Job {Job} is no longer registered; deleted with its trigger", stored.Key.Name);
            }
        }
    }
}
