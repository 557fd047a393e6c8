using Npgsql;
using Quartz;

namespace Brokkr.Host.Jobs;

/// <summary>
/// The maintenance scheduler: every <see cref="Shared.Jobs.ScheduledRequest"/> a module registered becomes
/// a durable job of a clustered Quartz scheduler whose store is the broker's own database (ADR 0014),
/// so several replicas run each fire once. The dashboard works whether or not the scheduler runs here.
/// </summary>
internal static class BrokkrJobs
{
    public const string SchedulerName = "brokkr";
    public const string TablePrefix = "qrtz_";

    public static void AddBrokkrJobs(this WebApplicationBuilder builder, bool forCommand)
    {
        var settings = JobsSettings.From(builder.Configuration);
        builder.Services.AddSingleton(sp => JobsSettings.From(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton<ScheduledJobs>();
        builder.Services.AddSingleton<JobRuns>();
        builder.Services.AddSingleton<JobsBoard>();
        if (forCommand || !settings.Enabled)
        {
            return;
        }

        builder.Services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o => o.InstanceName = SchedulerName);
            q.UsePersistentStore(store =>
            {
                // The broker's own data source: same database, same search_path (BROKKR__DATABASE__SCHEMA).
                store.UsePostgres(o => o.DataSourceFactory = sp => sp.GetRequiredService<NpgsqlDataSource>());
                store.UseClustering();
                store.UseSystemTextJsonSerializer();
                store.ConfigureStore(o => o.TablePrefix = TablePrefix);
            });
        });
        // Before Quartz's own hosted service, so the store is synchronised before the scheduler starts.
        builder.Services.AddSingleton<JobSynchronizer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<JobSynchronizer>());
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
    }
}
