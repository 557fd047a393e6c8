using static Brokkr.Stacks.Tests.Support.TargetStateRequests;

namespace Brokkr.Stacks.Tests;

/// <summary>Target state callers and bad input (behaviour §4): unknown, deleted and inactive agents, a malformed <c>since_sequence</c>.</summary>
public sealed class TargetStateCallerTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("")]
    [InlineData("+3")]
    [InlineData("99999999999999999999")]
    public async Task Malformed_since_sequence_is_400(string value)
    {
        var agent = await _given.AgentAsync();

        var body = await (await api.WithPak(agent.Pak).GetAsync($"/api/v1/agents/{agent.Id}/target-state?since_sequence={Uri.EscapeDataString(value)}"))
            .ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");
        body["details"]!.Str("parameter").ShouldBe("since_sequence");
    }

    [Fact]
    public async Task Admin_on_an_unknown_or_deleted_agent_gets_an_empty_list()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);
        await _given.DeploymentObjectAsync(stack, Revision("gone"));
        await api.ExecuteAsync("UPDATE agents SET deleted_at = now() WHERE id = @a", ("a", agent.Id));

        (await api.TargetStateAsync(Guid.NewGuid())).ShouldBeEmpty();
        (await api.AgentStackIdsAsync(Guid.NewGuid())).ShouldBeEmpty();
        (await api.TargetStateAsync(agent.Id, "?mode=full")).ShouldBeEmpty();
        (await api.AgentStackIdsAsync(agent.Id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Inactive_agents_are_served()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);
        var revision = await _given.DeploymentObjectAsync(stack, Revision("inactive"));

        (await api.QueryAsync<string>("SELECT status FROM agents WHERE id = @a", ("a", agent.Id))).ShouldBe(["INACTIVE"]);
        (await api.TargetStateAsync(agent.Id)).Ids().ShouldBe([revision.Id()]);
    }
}
