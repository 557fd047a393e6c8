using static Brokkr.Stacks.Tests.Support.TargetStateRequests;

namespace Brokkr.Stacks.Tests;

/// <summary>Targeting (behaviour §4): which stacks reach an agent through <c>GET /agents/{id}/target-state</c> and <c>GET /agents/{id}/stacks</c>.</summary>
public sealed class TargetStateTargetingTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);

    [Fact]
    public async Task Explicit_target_delivers_the_stacks_revision_to_the_agent_itself()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);
        var revision = await _given.DeploymentObjectAsync(stack, Revision("explicit"));

        var state = await (await api.WithPak(agent.Pak).GetAsync($"/api/v1/agents/{agent.Id}/target-state")).ArrayAsync();

        state.Count.ShouldBe(1);
        state[0]!.ShouldHaveExactKeys(Wire.DeploymentObjectKeys);
        state[0]!.ToJsonString().ShouldBe(revision.ToJsonString());
        var stacks = await (await api.WithPak(agent.Pak).GetAsync($"/api/v1/agents/{agent.Id}/stacks")).ArrayAsync();
        stacks.Ids().ShouldBe([stack]);
        stacks[0]!.ShouldHaveExactKeys(Wire.StackKeys);
    }

    [Fact]
    public async Task Label_match_counts_only_for_generators_the_agent_is_registered_with()
    {
        var registered = await _given.GeneratorAsync();
        var foreign = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: registered.Id);
        var label = Scenario.Unique("env");
        await _given.AgentLabelAsync(agent.Id, label);
        await _given.AgentLabelAsync(agent.Id, Scenario.Unique("unused"));
        var matching = await _given.StackAsync(registered.Id);
        await _given.StackLabelAsync(matching, label);
        var unregistered = await _given.StackAsync(foreign.Id);
        await _given.StackLabelAsync(unregistered, label);
        var unlabelled = await _given.StackAsync(registered.Id);
        await _given.StackLabelAsync(unlabelled, Scenario.Unique("other"));
        var revision = await _given.DeploymentObjectAsync(matching, Revision("label"));
        await _given.DeploymentObjectAsync(unregistered, Revision("foreign"));
        await _given.DeploymentObjectAsync(unlabelled, Revision("unlabelled"));

        (await api.TargetStateAsync(agent.Id)).Ids().ShouldBe([revision.Id()]);
        (await api.AgentStackIdsAsync(agent.Id)).ShouldBe([matching]);

        await _given.RegisterAsync(agent.Id, foreign.Id);

        (await api.AgentStackIdsAsync(agent.Id)).ShouldBe(new[] { matching, unregistered }.Order());
        (await api.TargetStateAsync(agent.Id)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Annotation_match_needs_the_exact_key_and_value_and_registration()
    {
        var registered = await _given.GeneratorAsync();
        var foreign = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: registered.Id);
        var key = Scenario.Unique("team");
        await _given.AgentAnnotationAsync(agent.Id, key, "blue");
        var exact = await _given.StackAsync(registered.Id);
        await _given.StackAnnotationAsync(exact, key, "blue");
        var otherValue = await _given.StackAsync(registered.Id);
        await _given.StackAnnotationAsync(otherValue, key, "green");
        var otherKey = await _given.StackAsync(registered.Id);
        await _given.StackAnnotationAsync(otherKey, Scenario.Unique("team"), "blue");
        var unregistered = await _given.StackAsync(foreign.Id);
        await _given.StackAnnotationAsync(unregistered, key, "blue");
        foreach (var stack in new[] { exact, otherValue, otherKey, unregistered })
        {
            await _given.DeploymentObjectAsync(stack, Revision(stack.ToString("N")));
        }

        (await api.AgentStackIdsAsync(agent.Id)).ShouldBe([exact]);
        (await api.TargetStateAsync(agent.Id)).Select(o => o!.Id("stack_id")).ShouldBe([exact]);
    }

    [Fact]
    public async Task A_stack_reached_several_ways_appears_once()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        var label = Scenario.Unique("l");
        await _given.StackLabelAsync(stack, label);
        await _given.AgentLabelAsync(agent.Id, label);
        await _given.StackAnnotationAsync(stack, "k", "v");
        await _given.AgentAnnotationAsync(agent.Id, "k", "v");
        await _given.TargetAsync(agent.Id, stack);
        await _given.DeploymentObjectAsync(stack, Revision("once"));

        (await api.AgentStackIdsAsync(agent.Id)).ShouldBe([stack]);
        (await api.TargetStateAsync(agent.Id)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Only_the_newest_live_revision_of_each_stack_is_served_newest_first()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var first = await _given.StackAsync(generator.Id);
        var second = await _given.StackAsync(generator.Id);
        var empty = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, first);
        await _given.TargetAsync(agent.Id, second);
        await _given.TargetAsync(agent.Id, empty);
        await _given.DeploymentObjectAsync(first, Revision("f1"));
        var secondNewest = await _given.DeploymentObjectAsync(second, Revision("s1"));
        var firstNewest = await _given.DeploymentObjectAsync(first, Revision("f2"));

        var state = await api.TargetStateAsync(agent.Id, "?mode=full");

        state.Ids().ShouldBe([firstNewest.Id(), secondNewest.Id()]);
        state.Select(o => o!.Sequence()).ShouldBeInOrder(SortDirection.Descending);
        (await api.AgentStackIdsAsync(agent.Id)).ShouldBe(new[] { first, second, empty }.Order());
    }
}
