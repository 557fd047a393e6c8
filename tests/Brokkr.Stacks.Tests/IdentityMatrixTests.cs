namespace Brokkr.Stacks.Tests;

/// <summary>Who may call what (details §3.3, §3.5): every read and write of the module per caller.</summary>
public sealed class IdentityMatrixTests(IdentityWorld world) : IClassFixture<IdentityWorld>
{
    [Theory]
    [InlineData(Identity.None, 401, "unauthorized")]
    [InlineData(Identity.Admin, 200, null)]
    [InlineData(Identity.OwnerGenerator, 200, null)]
    [InlineData(Identity.OtherGenerator, 403, "stack_not_owned")]
    [InlineData(Identity.TargetedAgent, 403, "stack_not_owned")]
    [InlineData(Identity.LabelMatchedAgent, 403, "stack_not_owned")]
    [InlineData(Identity.OtherAgent, 403, "stack_not_owned")]
    public async Task Get_stack_is_for_admin_and_the_owner(Identity identity, int status, string? code)
        => await ExpectAsync(await world.As(identity).GetAsync($"/api/v1/stacks/{world.Stack}"), status, code);

    [Theory]
    [InlineData(Identity.None, 401, "unauthorized")]
    [InlineData(Identity.Admin, 200, null)]
    [InlineData(Identity.OwnerGenerator, 200, null)]
    [InlineData(Identity.OtherGenerator, 403, "stack_not_owned")]
    [InlineData(Identity.TargetedAgent, 403, "stack_not_owned")]
    [InlineData(Identity.LabelMatchedAgent, 403, "stack_not_owned")]
    [InlineData(Identity.OtherAgent, 403, "stack_not_owned")]
    public async Task List_deployment_objects_is_for_admin_and_the_owner(Identity identity, int status, string? code)
        => await ExpectAsync(await world.As(identity).GetAsync($"/api/v1/stacks/{world.Stack}/deployment-objects"), status, code);

    [Theory]
    [InlineData(Identity.None, 401, "unauthorized")]
    [InlineData(Identity.Admin, 200, null)]
    [InlineData(Identity.OwnerGenerator, 200, null)]
    [InlineData(Identity.OtherGenerator, 403, "stack_not_accessible")]
    [InlineData(Identity.TargetedAgent, 200, null)]
    [InlineData(Identity.LabelMatchedAgent, 403, "stack_not_accessible")]
    [InlineData(Identity.OtherAgent, 403, "stack_not_accessible")]
    public async Task Stack_labels_are_readable_by_admin_owner_and_explicitly_targeted_agents(Identity identity, int status, string? code)
        => await ExpectAsync(await world.As(identity).GetAsync($"/api/v1/stacks/{world.Stack}/labels"), status, code);

    [Theory]
    [InlineData(Identity.None, 401, "unauthorized")]
    [InlineData(Identity.Admin, 200, null)]
    [InlineData(Identity.OwnerGenerator, 200, null)]
    [InlineData(Identity.OtherGenerator, 403, "stack_not_accessible")]
    [InlineData(Identity.TargetedAgent, 200, null)]
    [InlineData(Identity.LabelMatchedAgent, 403, "stack_not_accessible")]
    [InlineData(Identity.OtherAgent, 403, "stack_not_accessible")]
    public async Task Stack_annotations_are_readable_by_admin_owner_and_explicitly_targeted_agents(Identity identity, int status, string? code)
        => await ExpectAsync(await world.As(identity).GetAsync($"/api/v1/stacks/{world.Stack}/annotations"), status, code);

    [Theory]
    [InlineData(Identity.None, 401, "unauthorized")]
    [InlineData(Identity.Admin, 200, null)]
    [InlineData(Identity.OwnerGenerator, 200, null)]
    [InlineData(Identity.OtherGenerator, 403, "generator_not_associated")]
    [InlineData(Identity.TargetedAgent, 200, null)]
    [InlineData(Identity.LabelMatchedAgent, 403, "agent_not_associated")]
    [InlineData(Identity.OtherAgent, 403, "agent_not_associated")]
    public async Task Deployment_object_is_readable_by_admin_owner_and_explicitly_targeted_agents(Identity identity, int status, string? code)
        => await ExpectAsync(await world.As(identity).GetAsync($"/api/v1/deployment-objects/{world.Revision}"), status, code);

    [Theory]
    [InlineData(Identity.None, 401, "unauthorized")]
    [InlineData(Identity.Admin, 200, null)]
    [InlineData(Identity.OwnerGenerator, 200, null)]
    [InlineData(Identity.OtherGenerator, 200, null)]
    [InlineData(Identity.TargetedAgent, 403, "stacks_list_denied")]
    [InlineData(Identity.LabelMatchedAgent, 403, "stacks_list_denied")]
    [InlineData(Identity.OtherAgent, 403, "stacks_list_denied")]
    public async Task Stack_list_is_refused_to_agents(Identity identity, int status, string? code)
        => await ExpectAsync(await world.As(identity).GetAsync("/api/v1/stacks"), status, code);

    [Theory]
    [InlineData(Identity.None, 401, "unauthorized")]
    [InlineData(Identity.Admin, 200, null)]
    [InlineData(Identity.OwnerGenerator, 403, "agent_pak_mismatch")]
    [InlineData(Identity.OtherGenerator, 403, "agent_pak_mismatch")]
    [InlineData(Identity.TargetedAgent, 200, null)]
    [InlineData(Identity.LabelMatchedAgent, 403, "agent_pak_mismatch")]
    [InlineData(Identity.OtherAgent, 403, "agent_pak_mismatch")]
    public async Task Target_state_is_for_admin_and_the_agent_itself(Identity identity, int status, string? code)
        => await ExpectAsync(await world.As(identity).GetAsync($"/api/v1/agents/{world.TargetedAgent}/target-state"), status, code);

    [Theory]
    [InlineData(Identity.None, 401, "unauthorized")]
    [InlineData(Identity.Admin, 200, null)]
    [InlineData(Identity.OwnerGenerator, 403, "agent_pak_mismatch")]
    [InlineData(Identity.OtherGenerator, 403, "agent_pak_mismatch")]
    [InlineData(Identity.TargetedAgent, 200, null)]
    [InlineData(Identity.LabelMatchedAgent, 403, "agent_pak_mismatch")]
    [InlineData(Identity.OtherAgent, 403, "agent_pak_mismatch")]
    public async Task Agent_stacks_are_for_admin_and_the_agent_itself(Identity identity, int status, string? code)
        => await ExpectAsync(await world.As(identity).GetAsync($"/api/v1/agents/{world.TargetedAgent}/stacks"), status, code);

    [Theory]
    [InlineData(Identity.OwnerGenerator)]
    [InlineData(Identity.OtherGenerator)]
    [InlineData(Identity.TargetedAgent)]
    public async Task Agent_routes_refuse_a_foreign_pak_before_looking_the_agent_up(Identity identity)
    {
        var unknown = Guid.NewGuid();

        await (await world.As(identity).GetAsync($"/api/v1/agents/{unknown}/target-state")).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await (await world.As(identity).GetAsync($"/api/v1/agents/{unknown}/stacks")).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
    }

    [Theory]
    [InlineData(Identity.None, 401, "unauthorized")]
    [InlineData(Identity.OtherGenerator, 403, "stack_not_owned")]
    [InlineData(Identity.TargetedAgent, 403, "stack_not_owned")]
    [InlineData(Identity.LabelMatchedAgent, 403, "stack_not_owned")]
    [InlineData(Identity.OtherAgent, 403, "stack_not_owned")]
    public async Task Stack_writes_are_refused_to_everyone_but_admin_and_the_owner(Identity identity, int status, string? code)
    {
        var client = world.As(identity);
        var stack = world.Stack;
        var body = new { id = stack, created_at = "2025-01-01T00:00:00Z", updated_at = "2025-01-01T00:00:00Z", name = Scenario.Unique("renamed"), generator_id = world.Owner };

        await ExpectAsync(await client.PutJsonAsync($"/api/v1/stacks/{stack}", body), status, code);
        await ExpectAsync(await client.DeleteAsync($"/api/v1/stacks/{stack}"), status, code);
        await ExpectAsync(await client.PostJsonAsync($"/api/v1/stacks/{stack}/labels", "\"x\""), status, code);
        await ExpectAsync(await client.DeleteAsync($"/api/v1/stacks/{stack}/labels/tier:web"), status, code);
        await ExpectAsync(await client.PostJsonAsync($"/api/v1/stacks/{stack}/annotations", new { stack_id = stack, key = "k", value = "v" }), status, code);
        await ExpectAsync(await client.DeleteAsync($"/api/v1/stacks/{stack}/annotations/team"), status, code);
        await ExpectAsync(await client.PostJsonAsync($"/api/v1/stacks/{stack}/deployment-objects", new { yaml_content = Wire.Yaml }), status, code);

        (await world.Admin().GetAsync($"/api/v1/stacks/{stack}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var labels = await (await world.Admin().GetAsync($"/api/v1/stacks/{stack}/labels")).ArrayAsync();
        labels.Select(l => l!.Str("label")).ShouldBe(["tier:web"]);
    }

    [Theory]
    [InlineData(Identity.Admin)]
    [InlineData(Identity.OwnerGenerator)]
    public async Task Stack_writes_succeed_for_admin_and_the_owner(Identity identity)
    {
        var given = new Scenario(world);
        var client = world.As(identity);
        var stack = await given.StackAsync(world.Owner);
        var body = new { id = stack, created_at = "2025-01-01T00:00:00Z", updated_at = "2025-01-01T00:00:00Z", name = Scenario.Unique("renamed"), generator_id = world.Owner };

        (await client.PutJsonAsync($"/api/v1/stacks/{stack}", body)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.PostJsonAsync($"/api/v1/stacks/{stack}/labels", "\"x\"")).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await client.DeleteAsync($"/api/v1/stacks/{stack}/labels/x")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await client.PostJsonAsync($"/api/v1/stacks/{stack}/annotations", new { stack_id = stack, key = "k", value = "v" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await client.DeleteAsync($"/api/v1/stacks/{stack}/annotations/k")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await client.PostJsonAsync($"/api/v1/stacks/{stack}/deployment-objects", new { yaml_content = Wire.Yaml })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await client.DeleteAsync($"/api/v1/stacks/{stack}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Theory]
    [InlineData(Identity.TargetedAgent, "stack_create_denied")]
    [InlineData(Identity.OtherGenerator, "stack_generator_mismatch")]
    public async Task Stack_creation_is_refused_to_agents_and_to_generators_for_another_generator(Identity identity, string code)
        => await (await world.As(identity).PostJsonAsync("/api/v1/stacks", new { name = Scenario.Unique("s"), generator_id = world.Owner }))
            .ShouldFailAsync(HttpStatusCode.Forbidden, code);

    private static async Task ExpectAsync(HttpResponseMessage response, int status, string? code)
    {
        if (code is null)
        {
            var text = await response.Content.ReadAsStringAsync();
            ((int)response.StatusCode).ShouldBe(status, text);
            return;
        }

        await response.ShouldFailAsync((HttpStatusCode)status, code);
    }
}
