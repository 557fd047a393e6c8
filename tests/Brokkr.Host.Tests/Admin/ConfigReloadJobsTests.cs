using System.Net;
using Brokkr.Testing;
using Brokkr.Testing.Support;
using Npgsql;

namespace Brokkr.Host.Tests.Admin;

/// <summary>A reload that changes a job's interval reschedules its trigger in the clustered store, which every replica shares.</summary>
public sealed class ConfigReloadJobsTests(ConfigReloadJobsTests.JobsConfigFileFactory api) : IClassFixture<ConfigReloadJobsTests.JobsConfigFileFactory>
{
    [Fact]
    public async Task A_changed_diagnostic_cleanup_interval_reschedules_the_job()
    {
        (await StoredIntervalAsync("diagnostic-cleanup")).ShouldBe(TimeSpan.FromSeconds(900));

        api.Replace(ConfigFileFactory.InitialToml.Replace("diagnostic_cleanup_interval_seconds = 900", "diagnostic_cleanup_interval_seconds = 120", StringComparison.Ordinal));
        var response = await (await api.Admin().PostAsync("/api/v1/admin/config/reload", null)).JsonAsync(HttpStatusCode.OK);

        response["changes"]!.AsArray().Select(c => c!.Str("key")).ShouldBe(["broker.diagnostic_cleanup_interval_seconds"]);
        (await StoredIntervalAsync("diagnostic-cleanup")).ShouldBe(TimeSpan.FromSeconds(120));
        var job = await Jobs.JobsWire.JobAsync(api.Admin(), "diagnostic-cleanup");
        job["interval_seconds"]!.GetValue<long>().ShouldBe(120);
        job.Str("state").ShouldBe("normal");
        (await StoredIntervalAsync("audit-log-cleanup")).ShouldBe(TimeSpan.FromDays(1));
    }

    private async Task<TimeSpan> StoredIntervalAsync(string job)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT repeat_interval FROM qrtz_simple_triggers WHERE trigger_name = @job", connection);
        command.Parameters.AddWithValue("job", job);
        return TimeSpan.FromMilliseconds((long)(await command.ExecuteScalarAsync())!);
    }

    public sealed class JobsConfigFileFactory : ConfigFileFactory
    {
        protected override IReadOnlyDictionary<string, string> MoreSettings => new Dictionary<string, string> { ["Jobs:enabled"] = "true" };
    }
}
