using Brokkr.Shared.Errors;
using Quartz;

namespace Brokkr.Host.Jobs;

/// <summary>
/// A maintenance job as the dashboard and <c>GET /api/v1/admin/jobs</c> show it: its schedule and
/// state from the clustered store, its last run from <c>job_runs</c> (whichever replica ran it).
/// </summary>
/// <param name="State"><c>normal</c>, <c>paused</c>, <c>error</c> (the store gave up firing it), <c>missing</c>
/// (no trigger stored yet) or <c>disabled</c> (this broker runs no scheduler).</param>
/// <param name="Running">A run is in progress on some replica.</param>
public sealed record MaintenanceJob(
    string Key,
    string Description,
    long IntervalSeconds,
    string Schedule,
    string State,
    bool Running,
    DateTime? PreviousFireTime,
    DateTime? NextFireTime,
    DateTime? LastRunAt,
    string? LastOutcome,
    string? LastMessage,
    long? LastDurationMs,
    string? LastInstance,
    bool? LastRunManual);

/// <summary>Reads and drives the maintenance jobs for the dashboard page and the admin JSON API.</summary>
internal sealed class JobsBoard(ScheduledJobs jobs, JobRuns runs, IServiceProvider services)
{
    private readonly ISchedulerFactory? _schedulers = services.GetService<ISchedulerFactory>();

    public bool SchedulerEnabled => _schedulers is not null;

    public async Task<string?> InstanceIdAsync(CancellationToken cancellationToken)
        => _schedulers is null ? null : (await _schedulers.GetScheduler(cancellationToken)).SchedulerInstanceId;

    public async Task<IReadOnlyList<MaintenanceJob>> ListAsync(CancellationToken cancellationToken)
    {
        var latest = await runs.LatestAsync(cancellationToken);
        var scheduler = _schedulers is null ? null : await _schedulers.GetScheduler(cancellationToken);
        var list = new List<MaintenanceJob>();
        foreach (var job in jobs.All)
        {
            list.Add(await ViewAsync(scheduler, job, latest.GetValueOrDefault(job.Key), cancellationToken));
        }

        return list;
    }

    public async Task<MaintenanceJob> GetAsync(string key, CancellationToken cancellationToken)
    {
        var job = Find(key);
        var latest = await runs.LatestAsync(cancellationToken);
        var scheduler = _schedulers is null ? null : await _schedulers.GetScheduler(cancellationToken);
        return await ViewAsync(scheduler, job, latest.GetValueOrDefault(job.Key), cancellationToken);
    }

    /// <summary>Fires the job once now, on whichever replica acquires it first; never beside a run in progress.</summary>
    public async Task RunNowAsync(string key, CancellationToken cancellationToken)
    {
        var job = Find(key);
        var scheduler = await RequireSchedulerAsync(cancellationToken);
        await scheduler.TriggerJob(JobTriggers.JobKeyFor(job.Key), cancellationToken: cancellationToken);
    }

    public async Task PauseAsync(string key, CancellationToken cancellationToken)
    {
        var job = Find(key);
        var scheduler = await RequireSchedulerAsync(cancellationToken);
        await scheduler.PauseJob(JobTriggers.JobKeyFor(job.Key), cancellationToken);
    }

    public async Task ResumeAsync(string key, CancellationToken cancellationToken)
    {
        var job = Find(key);
        var scheduler = await RequireSchedulerAsync(cancellationToken);
        await scheduler.ResumeJob(JobTriggers.JobKeyFor(job.Key), cancellationToken);
    }

    private ScheduledJob Find(string key)
        => jobs.Find(key) ?? throw ApiException.NotFound("job_not_found", $"No maintenance job '{key}'");

    private async Task<IScheduler> RequireSchedulerAsync(CancellationToken cancellationToken)
        => _schedulers is null
            ? throw new ApiException(409, "scheduler_disabled", "The job scheduler is turned off on this broker (Jobs:enabled=false)")
            : await _schedulers.GetScheduler(cancellationToken);

    private static async Task<MaintenanceJob> ViewAsync(IScheduler? scheduler, ScheduledJob job, JobRun? last, CancellationToken cancellationToken)
    {
        var state = "disabled";
        var running = false;
        DateTime? previous = null, next = null;
        if (scheduler is not null)
        {
            var key = JobTriggers.TriggerKeyFor(job.Key);
            var triggerState = await scheduler.GetTriggerState(key, cancellationToken);
            var trigger = await scheduler.GetTrigger(key, cancellationToken);
            previous = trigger?.PreviousFireTimeUtc?.UtcDateTime;
            next = trigger?.NextFireTimeUtc?.UtcDateTime;
            running = triggerState is TriggerState.Executing or TriggerState.Blocked;
            state = triggerState switch
            {
                TriggerState.Paused => "paused",
                TriggerState.Error => "error",
                TriggerState.None => "missing",
                _ => "normal",
            };
        }

        return new MaintenanceJob(
            job.Key,
            job.Description,
            (long)job.Interval.TotalSeconds,
            "every " + JobTriggers.Describe(job.Interval),
            state,
            running,
            previous,
            next,
            last?.FiredAt,
            last is null ? null : last.Succeeded ? "ok" : "error",
            last?.Message,
            last is null ? null : (long)last.Duration.TotalMilliseconds,
            last?.Instance,
            last?.Manual);
    }
}
