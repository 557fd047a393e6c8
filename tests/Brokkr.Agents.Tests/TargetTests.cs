using System.Net;
using Brokkr.Testing;

namespace Brokkr.Agents.Tests;

public sealed class TargetTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);

    private async Task<(Guid GeneratorId, string GeneratorPak, Guid AgentId, string AgentPak, Guid StackId)> RegisteredAgentAndStackAsync()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        return (generator.Id, generator.Pak, agent.Id, agent.Pak, stack);
    }

    [Fact]
    public async Task Given_owning_generator_and_registered_agent_then_target_is_created_listed_and_removed()
    {
        var world = await RegisteredAgentAndStackAsync();
        var owner = api.WithPak(world.GeneratorPak);

        var target = await owner.PostJsonAsync($"/api/v1/agents/{world.AgentId}/targets", new { agent_id = world.AgentId, stack_id = world.StackId })
            .JsonAsync(HttpStatusCode.Created);

        target.ShouldHaveKeys("id", "agent_id", "stack_id");
        target.Id("stack_id").ShouldBe(world.StackId);
        var list = await api.WithPak(world.AgentPak).GetAsync($"/api/v1/agents/{world.AgentId}/targets").JsonAsync(HttpStatusCode.OK);
        list.Items().ShouldHaveSingleItem()!.Id().ShouldBe(target.Id());
        await owner.DeleteAsync($"/api/v1/agents/{world.AgentId}/targets/{world.StackId}").ShouldBeAsync(HttpStatusCode.NoContent);
        (await api.Admin().GetAsync($"/api/v1/agents/{world.AgentId}/targets").JsonAsync(HttpStatusCode.OK)).Items().ShouldBeEmpty();
        await owner.DeleteAsync($"/api/v1/agents/{world.AgentId}/targets/{world.StackId}").ShouldFailAsync(HttpStatusCode.NotFound, "agent_target_not_found");
    }

    [Fact]
    public async Task Given_unknown_stack_then_404_comes_first_for_every_caller()
    {
        var world = await RegisteredAgentAndStackAsync();
        var stack = Guid.NewGuid();
        var body = new { agent_id = Guid.NewGuid(), stack_id = stack };

        await api.WithPak(world.AgentPak).PostJsonAsync($"/api/v1/agents/{world.AgentId}/targets", body).ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
        await api.WithPak(world.GeneratorPak).PostJsonAsync($"/api/v1/agents/{world.AgentId}/targets", body).ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
        await api.WithPak(world.AgentPak).DeleteAsync($"/api/v1/agents/{world.AgentId}/targets/{stack}").ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
    }

    [Fact]
    public async Task Given_agent_or_foreign_generator_then_target_writes_are_refused()
    {
        var world = await RegisteredAgentAndStackAsync();
        var foreign = await _given.GeneratorAsync();
        await _given.RegisterAsync(world.AgentId, foreign.Id);
        var url = $"/api/v1/agents/{world.AgentId}/targets";
        var body = new { agent_id = world.AgentId, stack_id = world.StackId };

        await api.WithPak(world.AgentPak).PostJsonAsync(url, body).ShouldFailAsync(HttpStatusCode.Forbidden, "target_create_denied");
        await api.WithPak(foreign.Pak).PostJsonAsync(url, body).ShouldFailAsync(HttpStatusCode.Forbidden, "target_generator_mismatch");
        await api.Anonymous().PostJsonAsync(url, body).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await _given.TargetAsync(world.AgentId, world.StackId);
        await api.WithPak(world.AgentPak).DeleteAsync($"{url}/{world.StackId}").ShouldFailAsync(HttpStatusCode.Forbidden, "target_create_denied");
        await api.WithPak(foreign.Pak).DeleteAsync($"{url}/{world.StackId}").ShouldFailAsync(HttpStatusCode.Forbidden, "target_generator_mismatch");
    }

    [Fact]
    public async Task Given_unregistered_agent_then_even_admin_cannot_target_it()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync();
        var stack = await _given.StackAsync(generator.Id);
        var url = $"/api/v1/agents/{agent.Id}/targets";
        var body = new { agent_id = agent.Id, stack_id = stack };

        await api.Admin().PostJsonAsync(url, body).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_not_registered");
        await api.WithPak(generator.Pak).PostJsonAsync(url, body).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_not_registered");
        var unknown = Guid.NewGuid();
        await api.Admin().PostJsonAsync($"/api/v1/agents/{unknown}/targets", new { agent_id = unknown, stack_id = stack })
            .ShouldFailAsync(HttpStatusCode.Forbidden, "agent_not_registered");
        await api.Admin().DeleteAsync($"{url}/{stack}").ShouldFailAsync(HttpStatusCode.Forbidden, "agent_not_registered");
    }

    [Fact]
    public async Task Given_gate_passes_then_body_mismatch_and_duplicates_fail_after_it()
    {
        var world = await RegisteredAgentAndStackAsync();
        var url = $"/api/v1/agents/{world.AgentId}/targets";

        await api.Admin().PostJsonAsync(url, new { agent_id = Guid.NewGuid(), stack_id = world.StackId }).ShouldFailAsync(HttpStatusCode.BadRequest, "agent_id_mismatch");
        await _given.TargetAsync(world.AgentId, world.StackId);
        var conflict = await api.Admin().PostJsonAsync(url, new { agent_id = world.AgentId, stack_id = world.StackId }).ShouldFailAsync(HttpStatusCode.Conflict, "unique_violation");
        conflict["details"]!.Str("constraint").ShouldBe("unique_agent_target");
    }

    [Fact]
    public async Task Given_target_body_problems_then_extraction_errors_first()
    {
        var world = await RegisteredAgentAndStackAsync();
        var url = $"/api/v1/agents/{world.AgentId}/targets";

        await api.WithPak(world.AgentPak).PostJsonAsync(url, "{").ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
        await api.Admin().PostJsonAsync(url, new { agent_id = world.AgentId }).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await api.Admin().PostJsonAsync(url, new { agent_id = world.AgentId, stack_id = "nope" }).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await api.Admin().SendRawAsync(HttpMethod.Post, url, "{}", "application/xml").ShouldFailAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        (await api.Admin().DeleteAsync($"{url}/not-a-uuid")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Given_target_list_then_admin_or_self_and_admin_gets_empty_list_for_unknown_id()
    {
        var cast = await Cast.CreateAsync(api, _given);
        var url = $"/api/v1/agents/{cast.AgentId}/targets";

        await cast.Agent.GetAsync(url).ShouldBeAsync(HttpStatusCode.OK);
        await cast.Admin.GetAsync(url).ShouldBeAsync(HttpStatusCode.OK);
        await cast.OtherAgent.GetAsync(url).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await cast.Generator.GetAsync(url).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await cast.Anonymous.GetAsync(url).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        (await cast.Admin.GetAsync($"/api/v1/agents/{Guid.NewGuid()}/targets").JsonAsync(HttpStatusCode.OK)).Items().ShouldBeEmpty();
    }
}
