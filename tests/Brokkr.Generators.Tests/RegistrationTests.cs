using System.Net;
using Brokkr.Shared.Auth;
using Brokkr.Testing;

namespace Brokkr.Generators.Tests;

public sealed class RegistrationTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private Task<long> RegistrationCountAsync(Guid agentId, Guid generatorId)
        => api.ScalarAsync<long>("SELECT count(*) FROM agent_generator_registrations WHERE agent_id = $1 AND generator_id = $2", agentId, generatorId);

    private Task<long> TargetCountAsync(Guid agentId, Guid stackId)
        => api.ScalarAsync<long>("SELECT count(*) FROM agent_targets WHERE agent_id = $1 AND stack_id = $2", agentId, stackId);

    [Fact]
    public async Task Given_an_agent_then_it_registers_itself_and_a_body_agent_id_is_ignored()
    {
        var given = new Scenario(api);
        var generator = await given.GeneratorAsync();
        var agent = await given.AgentAsync();
        var bystander = await given.AgentAsync();

        var body = await (await api.WithPak(agent.Pak).PostJsonAsync($"/api/v1/generators/{generator.Id}/register", new { agent_id = bystander.Id }))
            .JsonAsync(HttpStatusCode.Created);

        body.Keys().ShouldBe(Support.RegistrationKeys);
        body.Id("agent_id").ShouldBe(agent.Id);
        body.Id("generator_id").ShouldBe(generator.Id);
        body.Str("registered_at").ShouldEndWith("Z");
        (await RegistrationCountAsync(bystander.Id, generator.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task Given_an_agent_with_an_empty_body_then_it_registers_itself()
    {
        var given = new Scenario(api);
        var generator = await given.GeneratorAsync();
        var agent = await given.AgentAsync();

        await (await api.WithPak(agent.Pak).PostJsonAsync($"/api/v1/generators/{generator.Id}/register", "{}")).JsonAsync(HttpStatusCode.Created);

        (await RegistrationCountAsync(agent.Id, generator.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task Given_admin_then_it_registers_the_named_agent_and_needs_its_id()
    {
        var given = new Scenario(api);
        var generator = await given.GeneratorAsync();
        var agent = await given.AgentAsync();
        var url = $"/api/v1/generators/{generator.Id}/register";

        await (await api.Admin().PostJsonAsync(url, "{}")).ShouldFailAsync(HttpStatusCode.BadRequest, "missing_agent_id");
        await (await api.Admin().PostJsonAsync(url, """{"agent_id":null}""")).ShouldFailAsync(HttpStatusCode.BadRequest, "missing_agent_id");
        await (await api.Admin().PostJsonAsync($"/api/v1/generators/{Guid.NewGuid()}/register", "{}")).ShouldFailAsync(HttpStatusCode.BadRequest, "missing_agent_id");
        var body = await (await api.Admin().PostJsonAsync(url, new { agent_id = agent.Id })).JsonAsync(HttpStatusCode.Created);

        body.Id("agent_id").ShouldBe(agent.Id);
    }

    [Fact]
    public async Task Given_generator_pak_or_no_pak_then_registration_is_refused()
    {
        var callers = await Callers.CreateAsync(api);
        var url = $"/api/v1/generators/{callers.OtherId}/register";

        await (await callers.None.PostJsonAsync(url, new { agent_id = callers.AgentId })).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await callers.Other.PostJsonAsync(url, new { agent_id = callers.AgentId })).ShouldFailAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await callers.Own.PostJsonAsync(url, new { agent_id = callers.AgentId })).ShouldFailAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await callers.Other.PostJsonAsync($"/api/v1/generators/{Guid.NewGuid()}/register", "{}")).ShouldFailAsync(HttpStatusCode.Forbidden, "forbidden");
        (await RegistrationCountAsync(callers.AgentId, callers.OtherId)).ShouldBe(0);
    }

    [Fact]
    public async Task Given_unknown_generator_or_agent_then_404()
    {
        var given = new Scenario(api);
        var generator = await given.GeneratorAsync();
        var agent = await given.AgentAsync();
        var deleted = await given.GeneratorAsync();
        (await api.Admin().DeleteAsync($"/api/v1/generators/{deleted.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await api.WithPak(agent.Pak).PostJsonAsync($"/api/v1/generators/{Guid.NewGuid()}/register", "{}")).ShouldFailAsync(HttpStatusCode.NotFound, "generator_not_found");
        await (await api.WithPak(agent.Pak).PostJsonAsync($"/api/v1/generators/{deleted.Id}/register", "{}")).ShouldFailAsync(HttpStatusCode.NotFound, "generator_not_found");
        await (await api.Admin().PostJsonAsync($"/api/v1/generators/{generator.Id}/register", new { agent_id = Guid.NewGuid() })).ShouldFailAsync(HttpStatusCode.NotFound, "agent_not_found");
    }

    [Fact]
    public async Task Given_an_existing_registration_then_409_already_registered()
    {
        var given = new Scenario(api);
        var generator = await given.GeneratorAsync();
        var agent = await given.AgentAsync(generatorIds: generator.Id);

        await (await api.WithPak(agent.Pak).PostJsonAsync($"/api/v1/generators/{generator.Id}/register", "{}")).ShouldFailAsync(HttpStatusCode.Conflict, "already_registered");
        await (await api.Admin().PostJsonAsync($"/api/v1/generators/{await api.SystemGeneratorIdAsync()}/register", new { agent_id = agent.Id }))
            .ShouldFailAsync(HttpStatusCode.Conflict, "already_registered");
        (await RegistrationCountAsync(agent.Id, generator.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task Given_registrations_then_agent_registered_is_audited_with_the_caller()
    {
        var given = new Scenario(api);
        var generator = await given.GeneratorAsync();
        var other = await given.GeneratorAsync();
        var agent = await given.AgentAsync();
        await (await api.WithPak(agent.Pak).PostJsonAsync($"/api/v1/generators/{generator.Id}/register", "{}")).JsonAsync(HttpStatusCode.Created);
        await given.RegisterAsync(agent.Id, other.Id);

        var entries = await api.AuditAsync("agent.registered", agent.Id);

        entries.Count.ShouldBe(2);
        entries[0].ActorType.ShouldBe("agent");
        entries[0].ActorId.ShouldBe(agent.Id);
        entries[0].ResourceType.ShouldBe("agent");
        entries[0].Details!.ToJsonString().ShouldBe($$"""{"generator_id":"{{generator.Id}}"}""");
        entries[1].ActorType.ShouldBe("admin");
        entries[1].ActorId.ShouldBeNull();
        entries[1].Details!.ToJsonString().ShouldBe($$"""{"generator_id":"{{other.Id}}"}""");
    }

    [Fact]
    public async Task Given_bad_registration_bodies_then_the_framework_errors_come_first()
    {
        var given = new Scenario(api);
        var agent = await given.AgentAsync();
        var client = api.WithPak(agent.Pak);
        var url = $"/api/v1/generators/{Guid.NewGuid()}/register";

        await (await client.SendRawAsync(HttpMethod.Post, url, "", null)).ShouldFailAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await (await client.PostJsonAsync(url, "")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
        await (await client.PostJsonAsync(url, "{")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
        await (await client.PostJsonAsync(url, """{"agent_id":"not-a-uuid"}""")).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        (await client.PostJsonAsync("/api/v1/generators/not-a-uuid/register", "{}")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Given_deregistration_then_the_agents_targets_to_that_generators_stacks_go_and_others_stay()
    {
        var given = new Scenario(api);
        var generator = await given.GeneratorAsync();
        var other = await given.GeneratorAsync();
        var agent = await given.AgentAsync(generatorIds: [generator.Id, other.Id]);
        var bystander = await given.AgentAsync(generatorIds: generator.Id);
        var stack = await given.StackAsync(generator.Id);
        var secondStack = await given.StackAsync(generator.Id);
        var otherStack = await given.StackAsync(other.Id);
        await given.TargetAsync(agent.Id, stack);
        await given.TargetAsync(agent.Id, secondStack);
        await given.TargetAsync(agent.Id, otherStack);
        await given.TargetAsync(bystander.Id, stack);

        var response = await api.WithPak(agent.Pak).DeleteJsonAsync($"/api/v1/generators/{generator.Id}/register", "{}");

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await TargetCountAsync(agent.Id, stack)).ShouldBe(0);
        (await TargetCountAsync(agent.Id, secondStack)).ShouldBe(0);
        (await TargetCountAsync(agent.Id, otherStack)).ShouldBe(1);
        (await TargetCountAsync(bystander.Id, stack)).ShouldBe(1);
        (await RegistrationCountAsync(agent.Id, generator.Id)).ShouldBe(0);
        (await RegistrationCountAsync(agent.Id, other.Id)).ShouldBe(1);
        await (await api.Admin().PostJsonAsync($"/api/v1/agents/{agent.Id}/targets", new { agent_id = agent.Id, stack_id = stack }))
            .ShouldFailAsync(HttpStatusCode.Forbidden, "agent_not_registered");
    }

    [Fact]
    public async Task Given_admin_deregisters_an_agent_then_its_targets_go_and_it_is_audited()
    {
        var given = new Scenario(api);
        var generator = await given.GeneratorAsync();
        var agent = await given.AgentAsync(generatorIds: generator.Id);
        var stack = await given.StackAsync(generator.Id);
        await given.TargetAsync(agent.Id, stack);

        (await api.Admin().DeleteJsonAsync($"/api/v1/generators/{generator.Id}/register", new { agent_id = agent.Id })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await TargetCountAsync(agent.Id, stack)).ShouldBe(0);
        (await RegistrationCountAsync(agent.Id, generator.Id)).ShouldBe(0);
        var entry = (await api.AuditAsync("agent.deregistered", agent.Id)).ShouldHaveSingleItem();
        entry.ActorType.ShouldBe("admin");
        entry.ActorId.ShouldBeNull();
        entry.ResourceType.ShouldBe("agent");
        entry.Details!.ToJsonString().ShouldBe($$"""{"generator_id":"{{generator.Id}}"}""");
    }

    [Fact]
    public async Task Given_an_agent_deregisters_itself_then_the_audit_actor_is_the_agent_and_it_can_register_again()
    {
        var given = new Scenario(api);
        var generator = await given.GeneratorAsync();
        var agent = await given.AgentAsync(generatorIds: generator.Id);
        var client = api.WithPak(agent.Pak);

        (await client.DeleteJsonAsync($"/api/v1/generators/{generator.Id}/register", "{}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var entry = (await api.AuditAsync("agent.deregistered", agent.Id)).ShouldHaveSingleItem();
        entry.ActorType.ShouldBe("agent");
        entry.ActorId.ShouldBe(agent.Id);
        await (await client.PostJsonAsync($"/api/v1/generators/{generator.Id}/register", "{}")).JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Given_no_registration_then_deregistration_still_answers_204()
    {
        var given = new Scenario(api);
        var generator = await given.GeneratorAsync();
        var agent = await given.AgentAsync();

        (await api.WithPak(agent.Pak).DeleteJsonAsync($"/api/v1/generators/{generator.Id}/register", "{}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await api.Admin().DeleteJsonAsync($"/api/v1/generators/{generator.Id}/register", new { agent_id = Guid.NewGuid() })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Given_an_agent_then_it_cannot_leave_the_system_generator_but_admin_can_take_it_out()
    {
        var given = new Scenario(api);
        var agent = await given.AgentAsync();
        var system = await api.SystemGeneratorIdAsync();
        (await RegistrationCountAsync(agent.Id, system)).ShouldBe(1);

        await (await api.WithPak(agent.Pak).DeleteJsonAsync($"/api/v1/generators/{system}/register", "{}")).ShouldFailAsync(HttpStatusCode.Forbidden, "system_generator_not_a_tenant");
        (await RegistrationCountAsync(agent.Id, system)).ShouldBe(1);
        (await api.AuditAsync("agent.deregistered", agent.Id)).ShouldBeEmpty();

        (await api.Admin().DeleteJsonAsync($"/api/v1/generators/{system}/register", new { agent_id = agent.Id })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await RegistrationCountAsync(agent.Id, system)).ShouldBe(0);
    }

    [Fact]
    public async Task Given_bad_deregistration_requests_then_checks_run_in_the_reference_order()
    {
        var callers = await Callers.CreateAsync(api);
        var url = $"/api/v1/generators/{callers.OwnId}/register";
        var unknown = $"/api/v1/generators/{Guid.NewGuid()}/register";

        await (await callers.None.DeleteJsonAsync(url, "{}")).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await callers.Agent.DeleteAsync(url)).ShouldFailAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await (await callers.Agent.DeleteJsonAsync(url, "")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
        await (await callers.Agent.DeleteJsonAsync(url, """{"agent_id":42}""")).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await (await callers.Own.DeleteJsonAsync(url, new { agent_id = callers.AgentId })).ShouldFailAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await callers.Own.DeleteJsonAsync(unknown, "{}")).ShouldFailAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await callers.Admin.DeleteJsonAsync(unknown, "{}")).ShouldFailAsync(HttpStatusCode.BadRequest, "missing_agent_id");
        await (await callers.Admin.DeleteJsonAsync(unknown, new { agent_id = callers.AgentId })).ShouldFailAsync(HttpStatusCode.NotFound, "generator_not_found");
        await (await callers.Agent.DeleteJsonAsync(unknown, "{}")).ShouldFailAsync(HttpStatusCode.NotFound, "generator_not_found");
        (await callers.Agent.DeleteJsonAsync("/api/v1/generators/not-a-uuid/register", "{}")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await RegistrationCountAsync(callers.AgentId, callers.OwnId)).ShouldBe(1);
    }

    [Fact]
    public async Task Given_admin_or_the_generator_itself_then_its_registered_agents_are_listed_in_registration_order()
    {
        var given = new Scenario(api);
        var generator = await given.GeneratorAsync();
        var first = await given.AgentAsync(generatorIds: generator.Id);
        var second = await given.AgentAsync();
        await given.RegisterAsync(second.Id, generator.Id);
        await given.AgentAsync();

        var byAdmin = (await (await api.Admin().GetAsync($"/api/v1/generators/{generator.Id}/registered-agents")).JsonAsync(HttpStatusCode.OK)).AsArray();
        var bySelf = await (await api.WithPak(generator.Pak).GetAsync($"/api/v1/generators/{generator.Id}/registered-agents")).JsonAsync(HttpStatusCode.OK);

        byAdmin.Select(r => r!.Id("agent_id")).ShouldBe([first.Id, second.Id]);
        byAdmin.ShouldAllBe(r => r!.Id("generator_id") == generator.Id);
        byAdmin[0].Keys().ShouldBe(Support.RegistrationKeys);
        bySelf.ToJsonString().ShouldBe(byAdmin.ToJsonString());
        var page = (await (await api.Admin().GetAsync($"/api/v1/generators/{generator.Id}/registered-agents?limit=1&offset=1")).JsonAsync(HttpStatusCode.OK)).AsArray();
        page.Select(r => r!.Id("agent_id")).ShouldBe([second.Id]);
        await (await api.Admin().GetAsync($"/api/v1/generators/{generator.Id}/registered-agents?limit=0")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");
    }

    [Fact]
    public async Task Given_other_callers_then_registered_agents_is_not_authorized_before_the_lookup()
    {
        var callers = await Callers.CreateAsync(api);
        var url = $"/api/v1/generators/{callers.OwnId}/registered-agents";

        await (await callers.None.GetAsync(url)).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await callers.Other.GetAsync(url)).ShouldFailAsync(HttpStatusCode.Forbidden, "not_authorized");
        await (await callers.Agent.GetAsync(url)).ShouldFailAsync(HttpStatusCode.Forbidden, "not_authorized");
        await (await callers.Other.GetAsync($"/api/v1/generators/{Guid.NewGuid()}/registered-agents")).ShouldFailAsync(HttpStatusCode.Forbidden, "not_authorized");
        await (await callers.Admin.GetAsync($"/api/v1/generators/{Guid.NewGuid()}/registered-agents")).ShouldFailAsync(HttpStatusCode.NotFound, "generator_not_found");
        (await callers.Admin.GetAsync("/api/v1/generators/bad/registered-agents")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Given_the_system_generator_then_only_admin_sees_its_registrations()
    {
        var given = new Scenario(api);
        var agent = await given.AgentAsync();
        var system = await api.SystemGeneratorIdAsync();
        var systemPak = Pak.Generate();
        await api.ScalarAsync<object>("UPDATE generators SET pak_hash = $1 WHERE id = $2", systemPak.Hash, system);

        var byAdmin = (await (await api.Admin().GetAsync($"/api/v1/generators/{system}/registered-agents")).JsonAsync(HttpStatusCode.OK)).AsArray();

        byAdmin.Select(r => r!.Id("agent_id")).ShouldContain(agent.Id);
        var refusal = await (await api.WithPak(systemPak.Value).GetAsync($"/api/v1/generators/{system}/registered-agents"))
            .ShouldFailAsync(HttpStatusCode.Forbidden, "system_generator_not_a_tenant");
        refusal.ToJsonString().ShouldNotContain(agent.Id.ToString());
    }
}
