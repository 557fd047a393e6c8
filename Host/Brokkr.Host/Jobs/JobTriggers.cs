using Quartz;

namespace Brokkr.Host.Jobs;

/// <summary>How a scheduled request maps onto Quartz: one durable job and one simple repeating trigger, both keyed by the request's key.</summary>
internal static class JobTriggers
{
    public static JobKey JobKeyFor(string key) => new(key, ScheduledJobs.Group);

    public static TriggerKey TriggerKeyFor(string key) => new(key, ScheduledJobs.Group);

    public static IJobDetail Job(ScheduledJob job)
        => JobBuilder.Create<ScheduledRequestJob>()
            .WithIdentity(JobKeyFor(job.Key))
            .WithDescription(job.Description)
            .StoreDurably()
            .Build();

    /// <summary>
    /// Fires first at <paramref name="startAt"/>, then every interval. A fire missed while every
    /// replica was down (or while paused) runs once as soon as possible, then the schedule continues.
    /// </summary>
    public static ITrigger Trigger(ScheduledJob job, DateTimeOffset startAt)
        => TriggerBuilder.Create()
            .WithIdentity(TriggerKeyFor(job.Key))
            .ForJob(JobKeyFor(job.Key))
            .WithDescription($"every {Describe(job.Interval)}")
            .StartAt(startAt)
            .WithSimpleSchedule(s => s.WithInterval(job.Interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithExistingCount))
            .Build();

    /// <summary>An interval as a person reads it: 5 s, 15 min, 1 h, 1 d, 1 h 30 min.</summary>
    public static string Describe(TimeSpan interval)
    {
        var parts = new List<string>();
        if (interval.Days > 0)
        {
            parts.Add($"{interval.Days} d");
        }

        if (interval.Hours > 0)
        {
            parts.Add($"{interval.Hours} h");
        }

        if (interval.Minutes > 0)
        {
            parts.Add($"{interval.Minutes} min");
        }

        if (interval.Seconds > 0 || parts.Count == 0)
        {
            parts.Add($"{interval.Seconds} s");
        }

        return string.Join(' ', parts);
    }
}
