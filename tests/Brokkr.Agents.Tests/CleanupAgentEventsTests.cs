using System.Net;
using Brokkr.Agents.Features;
using Brokkr.Shared.Configuration;
using Brokkr.Shared.Jobs;
using Brokkr.Testing;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Brokkr.Agents.Tests;

public sealed class CleanupAgentEventsTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);

    private async Task<List<Guid>> EventsAsync(int count)
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        var revision = (await _given.DeploymentObjectAsync(stack, "kind: ConfigMap\nmetadata:\n  name: c\n")).Id();
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var created = await api.WithPak(agent.Pak).PostJsonAsync($"/api/v1/agents/{agent.Id}/events",
                new { agent_id = agent.Id, deployment_object_id = revision, event_type = "DEPLOY", status = "SUCCESS" }).JsonAsync(HttpStatusCode.Created);
            ids.Add(created.Id());
        }

        return ids;
    }

    private Task AgeAsync(IEnumerable<Guid> ids, TimeSpan age)
        => Database.ExecuteAsync(api, "UPDATE agent_events SET created_at = now() - $1 WHERE id = ANY($2)", age, ids.ToArray());

    private async Task<CleanupAgentEvents.Result> RunAsync(CleanupAgentEvents.Command command)
    {
        await using var scope = api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(command);
    }

    private async Task<long> RemainingAsync(IEnumerable<Guid> ids)
        => (long)(await Database.ScalarAsync(api, "SELECT count(*) FROM agent_events WHERE id = ANY($1)", ids.ToArray()))!;

    [Fact]
    public async Task Given_events_older_than_the_retention_then_they_are_hard_deleted_in_batches_and_newer_ones_stay()
    {
        var old = await EventsAsync(5);
        var recent = await EventsAsync(2);
        await AgeAsync(old, TimeSpan.FromDays(31));
        await AgeAsync(recent[..1], TimeSpan.FromDays(29));
        await Database.ExecuteAsync(api, "UPDATE agent_events SET deleted_at = now() WHERE id = $1", old[0]);

        var result = await RunAsync(new CleanupAgentEvents.Command(BatchSize: 2));

        result.Deleted.ShouldBe(5);
        result.Cutoff.ShouldBe(DateTime.UtcNow.AddDays(-30), TimeSpan.FromMinutes(1));
        result.ToString().ShouldStartWith("Deleted 5 agent event(s) created before ");
        (await RemainingAsync(old)).ShouldBe(0);
        (await RemainingAsync(recent)).ShouldBe(2);
        (await RunAsync(new CleanupAgentEvents.Command())).Deleted.ShouldBe(0);
    }

    [Fact]
    public async Task Given_the_module_then_the_job_is_registered_hourly_with_this_command()
    {
        var job = api.Services.GetServices<ScheduledRequest>().Single(r => r.Key == CleanupAgentEvents.JobKey);

        job.Interval(new BrokkrSettings()).ShouldBe(TimeSpan.FromHours(1));
        job.CreateRequest().ShouldBe(new CleanupAgentEvents.Command(CleanupAgentEvents.DefaultBatchSize));
        job.Description.ShouldContain("agent_events_retention_days");
    }
}

/// <summary>A retention of 0 keeps agent events for ever: no job, as in the reference.</summary>
public sealed class KeepAgentEventsFactory : BrokkrApiFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Broker:agent_events_retention_days"] = "0" };
}

public sealed class CleanupAgentEventsDisabledTests(KeepAgentEventsFactory api) : IClassFixture<KeepAgentEventsFactory>
{
    [Fact]
    public async Task Given_a_retention_of_zero_then_the_job_is_not_registered_and_the_command_deletes_nothing()
    {
        api.Services.GetServices<ScheduledRequest>().ShouldNotContain(r => r.Key == CleanupAgentEvents.JobKey);
        api.Services.GetServices<ScheduledRequest>().ShouldContain(r => r.Key == "audit-log-cleanup");

        await using var scope = api.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new CleanupAgentEvents.Command());

        result.Deleted.ShouldBe(0);
    }
}
