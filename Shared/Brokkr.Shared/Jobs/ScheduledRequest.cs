using Brokkr.Shared.Configuration;

namespace Brokkr.Shared.Jobs;

/// <summary>
/// A maintenance job as a module declares it: a mediator request sent on an interval. The host turns
/// each registered <see cref="ScheduledRequest"/> into a clustered Quartz job, so modules stay free
/// of the scheduler and the job's logic is an ordinary, testable use case.
/// </summary>
/// <param name="Key">Stable job name (e.g. <c>work-order-maintenance</c>); also the dashboard's id.</param>
/// <param name="Description">What the job does, for the jobs dashboard.</param>
/// <param name="Interval">The interval, read from the settings (reference names and defaults).</param>
/// <param name="CreateRequest">Builds the mediator request (an <c>ICommand</c>) for one run. Its response's
/// <c>ToString()</c> is shown as the run's outcome, so a record response reads well.</param>
public sealed record ScheduledRequest(
    string Key,
    string Description,
    Func<BrokkrSettings, TimeSpan> Interval,
    Func<object> CreateRequest);
