using Brokkr.Audit.Features;
using Brokkr.Shared.Configuration;
using Brokkr.Shared.Jobs;
using Brokkr.Testing;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Brokkr.Host.Tests.Jobs;

/// <summary>The Audit module's cleanup job (it has no test project of its own).</summary>
public sealed class CleanupAuditLogsTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private async Task<List<Guid>> EntriesAsync(int count, TimeSpan age)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()).ToList();
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "INSERT INTO audit_logs (id, \"timestamp\", actor_type, action, resource_type) SELECT unnest($1::uuid[]), now() - $2, 'system', 'test.entry', 'system'",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = age });
        await command.ExecuteNonQueryAsync();
        return ids;
    }

    private async Task<long> RemainingAsync(IEnumerable<Guid> ids)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM audit_logs WHERE id = ANY($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Given_entries_older_than_the_retention_then_they_are_deleted_in_batches_and_newer_ones_stay()
    {
        var old = await EntriesAsync(7, TimeSpan.FromDays(91));
        var recent = await EntriesAsync(3, TimeSpan.FromDays(89));

        await using var scope = api.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new CleanupAuditLogs.Command(BatchSize: 3));

        result.Deleted.ShouldBe(7);
        result.Cutoff.ShouldBe(DateTime.UtcNow.AddDays(-90), TimeSpan.FromMinutes(1));
        result.ToString().ShouldStartWith("Deleted 7 audit log entries older than ");
        (await RemainingAsync(old)).ShouldBe(0);
        (await RemainingAsync(recent)).ShouldBe(3);
    }

    [Fact]
    public void Given_the_module_then_the_job_is_registered_daily_with_this_command()
    {
        var job = api.Services.GetServices<ScheduledRequest>().Single(r => r.Key == CleanupAuditLogs.JobKey);

        job.Interval(new BrokkrSettings()).ShouldBe(TimeSpan.FromDays(1));
        job.CreateRequest().ShouldBe(new CleanupAuditLogs.Command(CleanupAuditLogs.DefaultBatchSize));
    }
}
