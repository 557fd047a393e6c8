namespace Brokkr.Realtime.Tests;

/// <summary>The other modules' changes reach the agents they concern, after their transaction commits.</summary>
public sealed class PublicationTests(RealtimeApiFactory api) : IClassFixture<RealtimeApiFactory>
{
    [Fact]
    public async Task Adding_a_target_pushes_target_changed_to_that_agent()
    {
        var world = await World.CreateAsync(api);
        await using var socket = await api.ConnectAgentAsync(world.AgentId, world.AgentPak);

        await new Scenario(api).TargetAsync(world.AgentId, world.StackId);

        var frame = await socket.ReceiveAsync("target_changed");
        frame["body"]!.ShouldHaveExactKeys("id", "agent_id", "stack_id");
        frame["body"]!.Id("agent_id").ShouldBe(world.AgentId);
        frame["body"]!.Id("stack_id").ShouldBe(world.StackId);
    }

    [Fact]
    public async Task A_new_deployment_object_pushes_stack_changed_to_agents_matched_by_label()
    {
        var world = await World.CreateAsync(api);
        var given = new Scenario(api);
        await given.AgentLabelAsync(world.AgentId, "tier-web");
        await given.StackLabelAsync(world.StackId, "tier-web");
        await using var socket = await api.ConnectAgentAsync(world.AgentId, world.AgentPak);

        await given.DeploymentObjectAsync(world.StackId, Wire.Yaml);

        var frame = await socket.ReceiveAsync("stack_changed");
        frame["body"]!.ShouldHaveExactKeys("id", "created_at", "updated_at", "deleted_at", "name", "description", "generator_id");
        frame["body"]!.Id().ShouldBe(world.StackId);
    }

    [Fact]
    public async Task A_new_work_order_pushes_work_order_to_its_target_agents()
    {
        var world = await World.CreateAsync(api);
        await using var socket = await api.ConnectAgentAsync(world.AgentId, world.AgentPak);

        var created = await (await api.Admin().PostJsonAsync("/api/v1/work-orders", new
        {
            work_type = "build",
            yaml_content = Wire.Yaml,
            targeting = new { agent_ids = new[] { world.AgentId } },
        })).JsonAsync(HttpStatusCode.Created);

        var frame = await socket.ReceiveAsync("work_order");
        frame["body"]!.ShouldHaveExactKeys(
            "id", "created_at", "updated_at", "work_type", "yaml_content", "status", "claimed_by", "claimed_at", "claim_timeout_seconds",
            "max_retries", "retry_count", "backoff_seconds", "next_retry_after", "last_error", "last_error_at");
        frame["body"]!.Id().ShouldBe(created.Id());
        frame["body"]!.Str("status").ShouldBe("PENDING");
    }
}
