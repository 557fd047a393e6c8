using static Brokkr.Stacks.Tests.Support.TargetStateRequests;

namespace Brokkr.Stacks.Tests;

/// <summary>Target state modes (behaviour §4): incremental drops what the agent reported on through its events, full keeps it.</summary>
public sealed class TargetStateModeTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);

    [Theory]
    [InlineData("SUCCESS")]
    [InlineData("FAILURE")]
    public async Task Incremental_mode_drops_a_revision_the_agent_reported_on_and_full_mode_keeps_it(string status)
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var other = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);
        await _given.TargetAsync(other.Id, stack);
        var revision = (await _given.DeploymentObjectAsync(stack, Revision("ack"))).Id();

        await api.AgentEventAsync(agent.Id, revision, status);

        (await api.TargetStateAsync(agent.Id)).ShouldBeEmpty();
        (await api.TargetStateAsync(agent.Id, "?mode=incremental")).ShouldBeEmpty();
        (await api.TargetStateAsync(agent.Id, "?mode=FULL")).ShouldBeEmpty();
        (await api.TargetStateAsync(agent.Id, "?mode=nonsense")).ShouldBeEmpty();
        (await api.TargetStateAsync(agent.Id, "?mode=full")).Ids().ShouldBe([revision]);
        (await api.TargetStateAsync(other.Id)).Ids().ShouldBe([revision]);

        var next = (await _given.DeploymentObjectAsync(stack, Revision("ack2"))).Id();
        (await api.TargetStateAsync(agent.Id)).Ids().ShouldBe([next]);
    }

    [Fact]
    public async Task A_soft_deleted_event_does_not_count_as_reported()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);
        var revision = (await _given.DeploymentObjectAsync(stack, Revision("soft"))).Id();
        await api.AgentEventAsync(agent.Id, revision);
        await api.ExecuteAsync("UPDATE agent_events SET deleted_at = now() WHERE agent_id = @a", ("a", agent.Id));

        (await api.TargetStateAsync(agent.Id)).Ids().ShouldBe([revision]);
    }
}
