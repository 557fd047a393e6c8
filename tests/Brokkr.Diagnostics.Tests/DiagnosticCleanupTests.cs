using Brokkr.Diagnostics.Features;
using Brokkr.Shared.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Brokkr.Diagnostics.Tests;

/// <summary>The cleanup job (behaviour §8, §12): expiry of open requests, then deletion of old finished ones.</summary>
public sealed class DiagnosticCleanupTests(ClockedApiFactory api) : IClassFixture<ClockedApiFactory>
{
    private async Task<string> StatusAsync(Guid request)
        => (await (await api.Admin().GetAsync($"/api/v1/diagnostics/{request}")).JsonAsync(HttpStatusCode.OK))["request"]!.Str("status");

    [Fact]
    public async Task Expired_pending_requests_expire_claimed_ones_fail_and_old_finished_ones_are_deleted_with_their_results()
    {
        var world = await api.WorldAsync();
        var pending = (await api.RequestAsync(world, new { agent_id = world.Agent, retention_minutes = 1 })).Id();
        var claimed = (await api.RequestAsync(world, new { agent_id = world.Agent, retention_minutes = 1 })).Id();
        await api.ClaimAsync(world, claimed);
        var completed = (await api.RequestAsync(world, new { agent_id = world.Agent, retention_minutes = 1 })).Id();
        await api.ClaimAsync(world, completed);
        (await api.WithPak(world.AgentPak).PostJsonAsync($"/api/v1/diagnostics/{completed}/result", DiagnosticsScenario.Result())).StatusCode.ShouldBe(HttpStatusCode.Created);
        var lasting = (await api.RequestAsync(world, new { agent_id = world.Agent, retention_minutes = 120 })).Id();

        (await api.SendAsync(new CleanupDiagnostics.Command())).ShouldBe(new CleanupDiagnostics.Outcome(0, 0, 0));

        api.Clock.Advance(TimeSpan.FromMinutes(1));
        var expiry = await api.SendAsync(new CleanupDiagnostics.Command());

        expiry.ShouldBe(new CleanupDiagnostics.Outcome(Expired: 1, Failed: 1, Deleted: 0));
        (await StatusAsync(pending)).ShouldBe("expired");
        var failed = (await (await api.Admin().GetAsync($"/api/v1/diagnostics/{claimed}")).JsonAsync(HttpStatusCode.OK))["request"]!;
        failed.Str("status").ShouldBe("failed");
        failed.Timestamp("completed_at").ShouldBe(api.Now, TimeSpan.FromMilliseconds(1));
        (await StatusAsync(completed)).ShouldBe("completed");
        (await StatusAsync(lasting)).ShouldBe("pending");
        await (await api.WithPak(world.AgentPak).PostJsonAsync($"/api/v1/diagnostics/{claimed}/result", DiagnosticsScenario.Result()))
            .ShouldFailAsync(HttpStatusCode.Conflict, "diagnostic_not_claimed");

        // diagnostic_max_age_hours (1) counts from creation, and a request must be older than that.
        api.Clock.Advance(TimeSpan.FromMinutes(59));
        (await api.SendAsync(new CleanupDiagnostics.Command())).ShouldBe(new CleanupDiagnostics.Outcome(0, 0, 0));

        api.Clock.Advance(TimeSpan.FromSeconds(1));
        (await api.SendAsync(new CleanupDiagnostics.Command())).ShouldBe(new CleanupDiagnostics.Outcome(0, 0, 3));

        foreach (var gone in new[] { pending, claimed, completed })
        {
            await (await api.Admin().GetAsync($"/api/v1/diagnostics/{gone}")).ShouldFailAsync(HttpStatusCode.NotFound, "diagnostic_not_found");
        }

        (await api.ScalarAsync<long>("SELECT count(*) FROM diagnostic_results WHERE request_id = @id", ("id", completed))).ShouldBe(0);
        (await StatusAsync(lasting)).ShouldBe("pending");
    }

    [Fact]
    public void The_job_is_declared_with_the_reference_interval()
    {
        var job = api.Services.GetServices<ScheduledRequest>().Single(j => j.Key == CleanupDiagnostics.JobKey);

        job.Interval(new Brokkr.Shared.Configuration.BrokkrSettings()).ShouldBe(TimeSpan.FromSeconds(900));
        job.CreateRequest().ShouldBeOfType<CleanupDiagnostics.Command>();
        job.Description.ShouldNotBeNullOrWhiteSpace();
    }
}
