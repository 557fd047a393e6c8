namespace Brokkr.Stacks.Tests;

/// <summary>
/// The association rules live once, in the view <c>stack_agent_associations</c>; agent stacks,
/// target state and stack deletion all read it. These tests pin the view and the agreement.
/// </summary>
public sealed class AssociationTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);

    [Fact]
    public async Task The_view_reads_the_same_in_both_directions_and_matches_the_agent_stack_list()
    {
        var tenant = await _given.GeneratorAsync();
        var foreign = await _given.GeneratorAsync();
        var label = Scenario.Unique("l");
        var agent = await _given.AgentAsync(generatorIds: tenant.Id);
        await _given.AgentLabelAsync(agent.Id, label);
        await _given.AgentAnnotationAsync(agent.Id, "zone", label);
        var explicitStack = await _given.StackAsync(tenant.Id);
        await _given.TargetAsync(agent.Id, explicitStack);
        var labelStack = await _given.StackAsync(tenant.Id);
        await _given.StackLabelAsync(labelStack, label);
        var annotationStack = await _given.StackAsync(tenant.Id);
        await _given.StackAnnotationAsync(annotationStack, "zone", label);
        var foreignStack = await _given.StackAsync(foreign.Id);
        await _given.StackLabelAsync(foreignStack, label);
        await _given.StackAnnotationAsync(foreignStack, "zone", label);
        var expected = new[] { explicitStack, labelStack, annotationStack }.Order().ToList();

        var byAgent = await api.QueryAsync<Guid>("SELECT stack_id FROM stack_agent_associations WHERE agent_id = @a ORDER BY stack_id", ("a", agent.Id));
        byAgent.ShouldBe(expected);
        foreach (var stack in expected)
        {
            (await api.QueryAsync<Guid>("SELECT agent_id FROM stack_agent_associations WHERE stack_id = @s", ("s", stack))).ShouldBe([agent.Id]);
        }

        (await api.QueryAsync<Guid>("SELECT agent_id FROM stack_agent_associations WHERE stack_id = @s", ("s", foreignStack))).ShouldBeEmpty();
        (await (await api.Admin().GetAsync($"/api/v1/agents/{agent.Id}/stacks")).ArrayAsync()).Ids().ShouldBe(expected);
    }

    [Fact]
    public async Task Target_state_serves_exactly_the_listed_stacks_that_have_revisions()
    {
        var tenant = await _given.GeneratorAsync();
        var label = Scenario.Unique("l");
        var agent = await _given.AgentAsync(generatorIds: tenant.Id);
        await _given.AgentLabelAsync(agent.Id, label);
        var stacks = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            var stack = await _given.StackAsync(tenant.Id);
            await _given.StackLabelAsync(stack, label);
            await _given.DeploymentObjectAsync(stack, $"n: {i}\n");
            stacks.Add(stack);
        }

        var listed = (await (await api.Admin().GetAsync($"/api/v1/agents/{agent.Id}/stacks")).ArrayAsync()).Ids();
        var served = (await (await api.Admin().GetAsync($"/api/v1/agents/{agent.Id}/target-state?mode=full")).ArrayAsync()).Select(o => o!.Id("stack_id"));

        listed.ShouldBe(stacks.Order());
        served.Order().ShouldBe(listed);
    }

    [Fact]
    public async Task The_deletion_record_lists_exactly_the_agents_the_view_associated()
    {
        var tenant = await _given.GeneratorAsync();
        var label = Scenario.Unique("l");
        var stack = await _given.StackAsync(tenant.Id);
        await _given.StackLabelAsync(stack, label);
        var agents = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var agent = await _given.AgentAsync(generatorIds: tenant.Id);
            await _given.AgentLabelAsync(agent.Id, label);
            agents.Add(agent.Id);
        }

        var explicitAgent = await _given.AgentAsync(generatorIds: tenant.Id);
        await _given.TargetAsync(explicitAgent.Id, stack);
        agents.Add(explicitAgent.Id);
        var deletedAgent = await _given.AgentAsync(generatorIds: tenant.Id);
        await _given.AgentLabelAsync(deletedAgent.Id, label);
        await api.ExecuteAsync("UPDATE agents SET deleted_at = now() WHERE id = @a", ("a", deletedAgent.Id));
        var before = await api.QueryAsync<Guid>("SELECT agent_id FROM stack_agent_associations WHERE stack_id = @s", ("s", stack));

        (await api.Admin().DeleteAsync($"/api/v1/stacks/{stack}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        before.Order().ShouldBe(agents.Append(deletedAgent.Id).Order());
        var recorded = await api.QueryAsync<Guid>("SELECT agent_id FROM stack_deletion_deliveries WHERE stack_id = @s ORDER BY agent_id", ("s", stack));
        recorded.ShouldBe(agents.Order());
        (await api.QueryAsync<long>(
            "SELECT count(DISTINCT d.marker_id) FROM stack_deletion_deliveries d JOIN deployment_objects o ON o.id = d.marker_id WHERE d.stack_id = @s AND o.is_deletion_marker",
            ("s", stack))).ShouldBe([1L]);
    }
}
