using System.Net;
using Brokkr.Testing;

namespace Brokkr.Agents.Tests;

public sealed class AgentRecordTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);

    [Fact]
    public async Task Given_each_identity_then_get_is_allowed_only_to_admin_and_the_agent_itself()
    {
        var cast = await Cast.CreateAsync(api, _given);
        var url = $"/api/v1/agents/{cast.AgentId}";

        (await cast.Admin.GetAsync(url).JsonAsync(HttpStatusCode.OK)).ShouldHaveKeys(Keys.Agent);
        (await cast.Agent.GetAsync(url).JsonAsync(HttpStatusCode.OK)).Id().ShouldBe(cast.AgentId);
        await cast.OtherAgent.GetAsync(url).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await cast.Generator.GetAsync(url).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await cast.Anonymous.GetAsync(url).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Given_unknown_id_then_foreign_pak_gets_403_before_admin_gets_404()
    {
        var cast = await Cast.CreateAsync(api, _given);
        var url = $"/api/v1/agents/{Guid.NewGuid()}";

        await cast.Agent.GetAsync(url).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await cast.Generator.GetAsync(url).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await cast.Admin.GetAsync(url).ShouldFailAsync(HttpStatusCode.NotFound, "agent_not_found");
        await cast.Admin.PutJsonAsync(url, new { name = "x" }).ShouldFailAsync(HttpStatusCode.NotFound, "agent_not_found");
        await cast.Agent.PutJsonAsync(url, new { name = "x" }).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
    }

    [Fact]
    public async Task Given_malformed_uuid_in_path_then_400()
    {
        var response = await api.Admin().GetAsync("/api/v1/agents/not-a-uuid");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.JsonAsync(HttpStatusCode.BadRequest))["code"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Given_admin_put_then_only_string_name_cluster_and_status_are_applied()
    {
        var agent = await _given.AgentAsync();
        var name = Scenario.Unique("renamed");

        var updated = await api.Admin().PutJsonAsync($"/api/v1/agents/{agent.Id}",
                new { name, cluster_name = 42, status = "ACTIVE", pak_hash = "x", id = Guid.NewGuid(), deleted_at = "2020-01-01T00:00:00Z" })
            .JsonAsync(HttpStatusCode.OK);

        updated.ShouldHaveKeys(Keys.Agent);
        updated.Id().ShouldBe(agent.Id);
        updated.Str("name").ShouldBe(name);
        updated.Str("cluster_name").ShouldBe("cluster-a");
        updated.Str("status").ShouldBe("ACTIVE");
        updated["deleted_at"].ShouldBeNull();
        (await api.WithPak(agent.Pak).GetAsync($"/api/v1/agents/{agent.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"ACTIVE\"")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{\"name\":null,\"status\":true}")]
    public async Task Given_body_without_string_fields_then_put_changes_nothing(string body)
    {
        var agent = await _given.AgentAsync();
        var before = await api.Admin().GetAsync($"/api/v1/agents/{agent.Id}").JsonAsync(HttpStatusCode.OK);

        var after = await api.Admin().PutJsonAsync($"/api/v1/agents/{agent.Id}", body).JsonAsync(HttpStatusCode.OK);

        after.Str("name").ShouldBe(before.Str("name"));
        after.Str("cluster_name").ShouldBe(before.Str("cluster_name"));
        after.Str("status").ShouldBe(before.Str("status"));
        after.Str("updated_at").ShouldBe(before.Str("updated_at"));
        (await Database.AuditAsync(api, "agent.updated", agent.Id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_put_body_problems_then_400_415_before_authorization()
    {
        var cast = await Cast.CreateAsync(api, _given);
        var url = $"/api/v1/agents/{cast.AgentId}";

        await cast.OtherAgent.PutJsonAsync(url, "{not json").ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
        await cast.OtherAgent.PutJsonAsync(url, "").ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
        await cast.Admin.SendRawAsync(HttpMethod.Put, url, "{\"name\":\"x\"}", "text/plain").ShouldFailAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await cast.Generator.PutJsonAsync(url, new { name = "x" }).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await cast.Anonymous.PutJsonAsync(url, new { name = "x" }).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Given_oversize_values_then_invalid_agent_and_nothing_changes()
    {
        var agent = await _given.AgentAsync();
        var url = $"/api/v1/agents/{agent.Id}";
        var before = await api.Admin().GetAsync(url).JsonAsync(HttpStatusCode.OK);

        await api.Admin().PutJsonAsync(url, new { name = new string('n', 256) }).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_agent");
        await api.Admin().PutJsonAsync(url, new { name = "ok", cluster_name = new string('c', 256) }).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_agent");
        await api.Admin().PutJsonAsync(url, new { status = new string('S', 51) }).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_agent");
        await api.Admin().PutJsonAsync(url, new { name = "nul\u0000" }).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_agent");

        (await api.Admin().GetAsync(url).JsonAsync(HttpStatusCode.OK)).Str("name").ShouldBe(before.Str("name"));
    }

    [Fact]
    public async Task Given_name_and_cluster_of_another_agent_then_put_is_409()
    {
        var taken = Scenario.Unique("taken");
        await _given.AgentAsync(taken, "shared");
        var agent = await _given.AgentAsync(cluster: "shared");

        var error = await api.Admin().PutJsonAsync($"/api/v1/agents/{agent.Id}", new { name = taken }).ShouldFailAsync(HttpStatusCode.Conflict, "unique_violation");

        error["details"]!.Str("constraint").ShouldBe("unique_agent_cluster");
    }

    [Fact]
    public async Task Given_agent_pak_then_it_may_edit_its_own_record_but_not_activate_itself()
    {
        var agent = await _given.AgentAsync();
        var self = api.WithPak(agent.Pak);
        var url = $"/api/v1/agents/{agent.Id}";
        var name = Scenario.Unique("self-named");

        var renamed = await self.PutJsonAsync(url, new { name, cluster_name = "moved", status = "PAUSED" }).JsonAsync(HttpStatusCode.OK);
        renamed.Str("name").ShouldBe(name);
        renamed.Str("cluster_name").ShouldBe("moved");
        renamed.Str("status").ShouldBe("PAUSED");

        await self.PutJsonAsync(url, new { name = "sneaky", status = "ACTIVE" }).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_cannot_activate");
        await self.PutJsonAsync(url, new { status = " active " }).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_cannot_activate");

        var after = await api.Admin().GetAsync(url).JsonAsync(HttpStatusCode.OK);
        after.Str("status").ShouldBe("PAUSED");
        after.Str("name").ShouldBe(name);
        (await self.PutJsonAsync(url, new { status = "INACTIVE" }).JsonAsync(HttpStatusCode.OK)).Str("status").ShouldBe("INACTIVE");
    }

    [Fact]
    public async Task Given_updates_then_agent_updated_is_audited_with_the_real_caller()
    {
        var agent = await _given.AgentAsync();
        var url = $"/api/v1/agents/{agent.Id}";

        await api.Admin().PutJsonAsync(url, new { status = "ACTIVE" }).ShouldBeAsync(HttpStatusCode.OK);
        await api.WithPak(agent.Pak).PutJsonAsync(url, new { status = "INACTIVE" }).ShouldBeAsync(HttpStatusCode.OK);
        await api.WithPak(agent.Pak).PutJsonAsync(url, new { status = "ACTIVE" }).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_cannot_activate");

        var rows = await Database.AuditAsync(api, "agent.updated", agent.Id);
        rows.Count.ShouldBe(2);
        rows[0].ActorType.ShouldBe("admin");
        rows[0].ActorId.ShouldBeNull();
        rows[0].Details!["status"]!.GetValue<string>().ShouldBe("ACTIVE");
        rows[0].Details.ShouldHaveKeys("name", "cluster_name", "status");
        rows[1].ActorType.ShouldBe("agent");
        rows[1].ActorId.ShouldBe(agent.Id);
        rows[1].Details!["status"]!.GetValue<string>().ShouldBe("INACTIVE");
    }

    [Fact]
    public async Task Given_delete_then_only_admin_may_and_unknown_ids_still_get_204()
    {
        var cast = await Cast.CreateAsync(api, _given);
        var url = $"/api/v1/agents/{cast.AgentId}";

        await cast.Agent.DeleteAsync(url).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        await cast.Generator.DeleteAsync(url).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        await cast.OtherAgent.DeleteAsync($"/api/v1/agents/{Guid.NewGuid()}").ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        await cast.Anonymous.DeleteAsync(url).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await cast.Admin.DeleteAsync($"/api/v1/agents/{Guid.NewGuid()}").ShouldBeAsync(HttpStatusCode.NoContent);
        await cast.Admin.DeleteAsync(url).ShouldBeAsync(HttpStatusCode.NoContent);
        await cast.Admin.DeleteAsync(url).ShouldBeAsync(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Given_deleted_agent_then_its_pak_stops_at_once_and_it_is_gone()
    {
        var agent = await _given.AgentAsync();
        var self = api.WithPak(agent.Pak);
        await self.GetAsync($"/api/v1/agents/{agent.Id}").ShouldBeAsync(HttpStatusCode.OK);

        await api.Admin().DeleteAsync($"/api/v1/agents/{agent.Id}").ShouldBeAsync(HttpStatusCode.NoContent);

        await self.GetAsync($"/api/v1/agents/{agent.Id}").ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await api.Admin().GetAsync($"/api/v1/agents/{agent.Id}").ShouldFailAsync(HttpStatusCode.NotFound, "agent_not_found");
        (await Database.ScalarAsync(api, "SELECT deleted_at IS NOT NULL FROM agents WHERE id = $1", agent.Id)).ShouldBe(true);
        var audit = (await Database.AuditAsync(api, "agent.deleted", agent.Id)).ShouldHaveSingleItem();
        audit.ActorType.ShouldBe("admin");
        audit.ResourceType.ShouldBe("agent");
    }

    [Fact]
    public async Task Given_deleted_agent_then_its_events_are_soft_deleted_and_its_name_is_free_again()
    {
        var generator = await _given.GeneratorAsync();
        var name = Scenario.Unique("reused");
        var agent = await _given.AgentAsync(name, "c", generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        var revision = await _given.DeploymentObjectAsync(stack, "kind: ConfigMap\n");
        var posted = await api.WithPak(agent.Pak).PostJsonAsync($"/api/v1/agents/{agent.Id}/events",
            new { agent_id = agent.Id, deployment_object_id = revision.Id(), event_type = "DEPLOY", status = "SUCCESS" }).JsonAsync(HttpStatusCode.Created);

        await api.Admin().DeleteAsync($"/api/v1/agents/{agent.Id}").ShouldBeAsync(HttpStatusCode.NoContent);

        (await Database.ScalarAsync(api, "SELECT deleted_at IS NOT NULL FROM agent_events WHERE id = $1", posted.Id())).ShouldBe(true);
        await api.Admin().GetAsync($"/api/v1/agent-events/{posted.Id()}").ShouldFailAsync(HttpStatusCode.NotFound, "agent_event_not_found");
        await _given.AgentAsync(name, "c");
    }
}
