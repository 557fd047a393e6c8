using System.Diagnostics;
using Mediator;
using Quartz;

namespace Brokkr.Host.Jobs;

/// <summary>
/// The one Quartz job class: resolves the <see cref="Shared.Jobs.ScheduledRequest"/> named by the job
/// key, sends its request through the mediator in a scope of its own (one connection, one
/// transaction, like an HTTP request) and records the outcome in <c>job_runs</c>. A failure is
/// recorded, not rethrown: the trigger keeps its schedule and the next fire tries again.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class ScheduledRequestJob(
    ScheduledJobs jobs,
    IServiceScopeFactory scopes,
    JobRuns runs,
    ILogger<ScheduledRequestJob> logger) : IJob
{
    private static readonly TimeSpan RoutineInterval = TimeSpan.FromMinutes(1);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var key = context.JobDetail.Key.Name;
        var manual = !context.Trigger.Key.Equals(JobTriggers.TriggerKeyFor(key));
        var started = Stopwatch.GetTimestamp();
        var succeeded = true;
        string? message;
        Exception? cancelled = null;
        try
        {
            var job = jobs.Find(key) ?? throw new InvalidOperationException($"No job '{key}' is registered on this broker.");
            await using var scope = scopes.CreateAsyncScope();
            var sender = scope.ServiceProvider.GetRequiredService<ISender>();
            var response = await sender.Send(job.Request.CreateRequest(), cancellationToken);
            message = response?.ToString();
        }
        catch (Exception ex)
        {
            succeeded = false;
            message = ex.Message;
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                cancelled = ex;
                message = "Cancelled: the broker is shutting down.";
            }
            else
            {
                logger.LogError(ex, "Job {Job} failed", key);
            }
        }

        var duration = Stopwatch.GetElapsedTime(started);
        var instance = context.Scheduler.SchedulerInstanceId;
        await runs.RecordAsync(
            new JobRun(key, context.ScheduledFireTimeUtc?.UtcDateTime, context.FireTimeUtc.UtcDateTime, duration, succeeded, message, instance, manual),
            CancellationToken.None);
        // A job firing every few seconds would fill the log with routine runs; those are on the dashboard anyway.
        var level = manual || !succeeded || (context.NextFireTimeUtc - context.FireTimeUtc ?? RoutineInterval) >= RoutineInterval
            ? LogLevel.Information
            : LogLevel.Debug;
        logger.Log(level, "Job {Job} ran in {DurationMs} ms on {Instance}: {Outcome} {Message}",
            key, (long)duration.TotalMilliseconds, instance, succeeded ? "ok" : "error", message);
        if (cancelled is not null)
        {
            throw cancelled;
        }
    }
}
