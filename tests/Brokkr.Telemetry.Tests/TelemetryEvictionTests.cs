using Brokkr.Shared.Jobs;
using Brokkr.Telemetry.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Brokkr.Telemetry.Tests;

/// <summary>The eviction job (behaviour §11, §12): every 60 s, rows ingested more than 6 hours ago go.</summary>
public sealed class TelemetryEvictionTests(ClockedApiFactory api) : IClassFixture<ClockedApiFactory>
{
    [Fact]
    public async Task Rows_older_than_six_hours_by_ingestion_are_deleted_and_younger_ones_stay()
    {
        var world = await api.WorldAsync();
        await api.AppendEventsAsync(TelemetryScenario.Event(world, "old-1"), TelemetryScenario.Event(world, "old-2"));
        await api.AppendLinesAsync(TelemetryScenario.Line(world, "old"));
        api.Clock.Advance(TimeSpan.FromHours(1));
        await api.AppendEventsAsync(TelemetryScenario.Event(world, "young"));
        await api.AppendLinesAsync(TelemetryScenario.Line(world, "young"));

        api.Clock.Advance(TimeSpan.FromHours(5));
        (await api.SendAsync(new EvictTelemetry.Command())).ShouldBe(new EvictTelemetry.Outcome(0, 0));

        api.Clock.Advance(TimeSpan.FromSeconds(1));
        (await api.SendAsync(new EvictTelemetry.Command())).ShouldBe(new EvictTelemetry.Outcome(Events: 2, LogLines: 1));

        (await api.ScalarAsync<long>("SELECT count(*) FROM agent_k8s_events WHERE stack_id = @stack", ("stack", world.Stack))).ShouldBe(1);
        (await api.ScalarAsync<long>("SELECT count(*) FROM agent_pod_logs WHERE stack_id = @stack", ("stack", world.Stack))).ShouldBe(1);
        (await api.EventsAsync(world.Stack))["events"]!.AsArray().Select(e => e!.Str("reason")).ShouldBe(["young"]);

        api.Clock.Advance(TimeSpan.FromHours(1));
        (await api.SendAsync(new EvictTelemetry.Command())).ShouldBe(new EvictTelemetry.Outcome(1, 1));
    }

    [Fact]
    public void The_job_is_declared_every_sixty_seconds()
    {
        var job = api.Services.GetServices<ScheduledRequest>().Single(j => j.Key == EvictTelemetry.JobKey);

        job.Interval(new Brokkr.Shared.Configuration.BrokkrSettings()).ShouldBe(TimeSpan.FromSeconds(60));
        job.CreateRequest().ShouldBeOfType<EvictTelemetry.Command>();
    }
}
