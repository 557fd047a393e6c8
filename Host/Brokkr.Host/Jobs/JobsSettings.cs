namespace Brokkr.Host.Jobs;

/// <summary>
/// The <c>Jobs</c> section (<c>BROKKR__JOBS__ENABLED</c>, ...): whether this broker runs the maintenance
/// scheduler at all, and how many runs per job the run history keeps.
/// </summary>
internal sealed class JobsSettings
{
    public const string Section = "Jobs";

    /// <summary>Off in most tests, so that background jobs do not disturb what a test looks at.</summary>
    public bool Enabled { get; set; } = true;

    [ConfigurationKeyName("runs_per_job")]
    public int RunsPerJob { get; set; } = 100;

    public static JobsSettings From(IConfiguration configuration)
    {
        var settings = new JobsSettings();
        configuration.GetSection(Section).Bind(settings);
        settings.RunsPerJob = Math.Clamp(settings.RunsPerJob, 1, 10_000);
        return settings;
    }
}
