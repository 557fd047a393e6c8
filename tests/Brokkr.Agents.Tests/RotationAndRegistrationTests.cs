using System.Net;
using Brokkr.Testing;

namespace Brokkr.Agents.Tests;

public sealed class RotationAndRegistrationTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);

    [Fact]
    public async Task Given_admin_rotation_then_the_old_pak_fails_at_once_and_the_new_one_works()
    {
        var agent = await _given.AgentAsync();
        var old = api.WithPak(agent.Pak);
        await old.GetAsync($"/api/v1/agents/{agent.Id}").ShouldBeAsync(HttpStatusCode.OK);

        var body = await api.Admin().PostAsync($"/api/v1/agents/{agent.Id}/rotate-pak", null).JsonAsync(HttpStatusCode.OK);

        body.ShouldHaveKeys("agent", "pak");
        body["agent"].ShouldHaveKeys(Keys.Agent);
        body["agent"]!.Id().ShouldBe(agent.Id);
        body.Str("pak").ShouldNotBe(agent.Pak);
        await old.GetAsync($"/api/v1/agents/{agent.Id}").ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await api.WithPak(body.Str("pak")).GetAsync($"/api/v1/agents/{agent.Id}").ShouldBeAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Given_self_rotation_then_it_is_audited_with_the_agent_as_actor()
    {
        var agent = await _given.AgentAsync();

        var body = await api.WithPak(agent.Pak).PostAsync($"/api/v1/agents/{agent.Id}/rotate-pak", null).JsonAsync(HttpStatusCode.OK);
        await api.WithPak(body.Str("pak")).PostAsync($"/api/v1/agents/{agent.Id}/rotate-pak", null).ShouldBeAsync(HttpStatusCode.OK);
        await api.Admin().PostAsync($"/api/v1/agents/{agent.Id}/rotate-pak", null).ShouldBeAsync(HttpStatusCode.OK);

        var rows = await Database.AuditAsync(api, "pak.rotated", agent.Id);
        rows.Count.ShouldBe(3);
        rows[0].ActorType.ShouldBe("agent");
        rows[0].ActorId.ShouldBe(agent.Id);
        rows[0].ResourceType.ShouldBe("agent");
        rows[0].Details.ShouldHaveKeys("agent_name");
        rows[2].ActorType.ShouldBe("admin");
        rows[2].ActorId.ShouldBeNull();
    }

    [Fact]
    public async Task Given_other_identities_then_rotation_is_refused_before_the_lookup()
    {
        var cast = await Cast.CreateAsync(api, _given);

        await cast.OtherAgent.PostAsync($"/api/v1/agents/{cast.AgentId}/rotate-pak", null).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await cast.Generator.PostAsync($"/api/v1/agents/{cast.AgentId}/rotate-pak", null).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await cast.Agent.PostAsync($"/api/v1/agents/{Guid.NewGuid()}/rotate-pak", null).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await cast.Anonymous.PostAsync($"/api/v1/agents/{cast.AgentId}/rotate-pak", null).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await cast.Admin.PostAsync($"/api/v1/agents/{Guid.NewGuid()}/rotate-pak", null).ShouldFailAsync(HttpStatusCode.NotFound, "agent_not_found");
        await cast.Agent.GetAsync($"/api/v1/agents/{cast.AgentId}").ShouldBeAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Given_registrations_then_admin_and_the_agent_see_them_in_the_reference_shape()
    {
        var cast = await Cast.CreateAsync(api, _given);
        var url = $"/api/v1/agents/{cast.AgentId}/registrations";

        var list = await cast.Agent.GetAsync(url).JsonAsync(HttpStatusCode.OK);

        list.Items().Count.ShouldBe(2);
        foreach (var item in list.Items())
        {
            item.ShouldHaveKeys(Keys.Registration);
            item!.Id("agent_id").ShouldBe(cast.AgentId);
            item!.Str("registered_at").ShouldEndWith("Z");
        }

        list.Ids("generator_id").ShouldContain(cast.GeneratorId);
        (await cast.Admin.GetAsync(url).JsonAsync(HttpStatusCode.OK)).Items().Count.ShouldBe(2);
        await cast.OtherAgent.GetAsync(url).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await cast.Generator.GetAsync(url).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await cast.Anonymous.GetAsync(url).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await cast.Admin.GetAsync($"/api/v1/agents/{Guid.NewGuid()}/registrations").ShouldFailAsync(HttpStatusCode.NotFound, "agent_not_found");
        await cast.Agent.GetAsync($"/api/v1/agents/{Guid.NewGuid()}/registrations").ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
    }
}
