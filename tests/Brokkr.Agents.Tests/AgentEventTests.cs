using System.Net;
using System.Text.Json.Nodes;
using Brokkr.Testing;

namespace Brokkr.Agents.Tests;

public sealed class AgentEventTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);

    private async Task<(Guid GeneratorId, Guid AgentId, string AgentPak, Guid StackId)> WorldAsync()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        return (generator.Id, agent.Id, agent.Pak, stack);
    }

    private async Task<Guid> RevisionAsync(Guid stackId) => (await _given.DeploymentObjectAsync(stackId, $"kind: ConfigMap\nmetadata:\n  name: c{Guid.NewGuid():N}\n")).Id();

    private Task<JsonNode> PostEventAsync(string pak, Guid agentId, Guid revision, string status = "SUCCESS", string? message = null)
        => api.WithPak(pak).PostJsonAsync($"/api/v1/agents/{agentId}/events",
            new { agent_id = agentId, deployment_object_id = revision, event_type = "DEPLOY", status, message }).JsonAsync(HttpStatusCode.Created);

    [Fact]
    public async Task Given_the_agent_reports_then_the_event_is_created_in_the_reference_shape()
    {
        var world = await WorldAsync();
        var revision = await RevisionAsync(world.StackId);

        var created = await PostEventAsync(world.AgentPak, world.AgentId, revision, "FAILURE", "x'); DROP TABLE agent_events; --");

        created.ShouldHaveKeys(Keys.AgentEvent);
        created.Id("agent_id").ShouldBe(world.AgentId);
        created.Id("deployment_object_id").ShouldBe(revision);
        created.Str("event_type").ShouldBe("DEPLOY");
        created.Str("status").ShouldBe("FAILURE");
        created.Str("message").ShouldBe("x'); DROP TABLE agent_events; --");
        created["deleted_at"].ShouldBeNull();
        var fetched = await api.Admin().GetAsync($"/api/v1/agent-events/{created.Id()}").JsonAsync(HttpStatusCode.OK);
        fetched.ToJsonString().ShouldBe(created.ToJsonString());
    }

    [Fact]
    public async Task Given_status_and_message_then_they_are_stored_as_sent()
    {
        var world = await WorldAsync();
        var revision = await RevisionAsync(world.StackId);

        var created = await api.Admin().PostJsonAsync($"/api/v1/agents/{world.AgentId}/events",
            new { agent_id = world.AgentId, deployment_object_id = revision, event_type = "", status = "success" }).JsonAsync(HttpStatusCode.Created);

        created.Str("status").ShouldBe("success");
        created["message"].ShouldBeNull();
    }

    [Fact]
    public async Task Given_event_posts_then_checks_run_in_the_reference_order()
    {
        var world = await WorldAsync();
        var other = await _given.AgentAsync();
        var generator = await _given.GeneratorAsync();
        var revision = await RevisionAsync(world.StackId);
        var url = $"/api/v1/agents/{world.AgentId}/events";
        var good = new { agent_id = world.AgentId, deployment_object_id = revision, event_type = "DEPLOY", status = "SUCCESS" };

        await api.WithPak(other.Pak).PostJsonAsync(url, "{oops").ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
        await api.WithPak(other.Pak).PostJsonAsync(url, new { agent_id = world.AgentId }).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await api.WithPak(other.Pak).PostJsonAsync(url, good).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await api.WithPak(generator.Pak).PostJsonAsync(url, good).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await api.Anonymous().PostJsonAsync(url, good).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await api.WithPak(world.AgentPak).PostJsonAsync(url, good with { agent_id = other.Id }).ShouldFailAsync(HttpStatusCode.BadRequest, "agent_id_mismatch");
        await api.WithPak(world.AgentPak).PostJsonAsync(url, good with { event_type = new string('E', 51) }).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_agent_event");
        await api.WithPak(world.AgentPak).PostJsonAsync(url, good with { status = "SUCCESSFUL!" }).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_agent_event");
        await api.WithPak(world.AgentPak).PostJsonAsync(url, good with { deployment_object_id = Guid.NewGuid() }).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "foreign_key_violation");
        await api.Admin().SendRawAsync(HttpMethod.Post, url, "{}", "text/plain").ShouldFailAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await api.WithPak(world.AgentPak).PostJsonAsync(url, good with { event_type = new string('E', 50), status = "0123456789" }).ShouldBeAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Given_admin_posts_for_an_unknown_agent_then_422()
    {
        var world = await WorldAsync();
        var revision = await RevisionAsync(world.StackId);
        var unknown = Guid.NewGuid();

        await api.Admin().PostJsonAsync($"/api/v1/agents/{unknown}/events",
                new { agent_id = unknown, deployment_object_id = revision, event_type = "DEPLOY", status = "SUCCESS" })
            .ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "foreign_key_violation");
    }

    [Fact]
    public async Task Given_events_then_the_agent_lists_its_own_newest_first_and_only_for_live_revisions()
    {
        var world = await WorldAsync();
        var first = await PostEventAsync(world.AgentPak, world.AgentId, await RevisionAsync(world.StackId));
        var second = await PostEventAsync(world.AgentPak, world.AgentId, await RevisionAsync(world.StackId));
        var deletedRevision = await RevisionAsync(world.StackId);
        var hidden = await PostEventAsync(world.AgentPak, world.AgentId, deletedRevision);
        await Database.ExecuteAsync(api, "UPDATE deployment_objects SET deleted_at = now() WHERE id = $1", deletedRevision);

        var list = await api.WithPak(world.AgentPak).GetAsync($"/api/v1/agents/{world.AgentId}/events").JsonAsync(HttpStatusCode.OK);

        list.Ids().ShouldBe([second.Id(), first.Id()]);
        list.Ids().ShouldNotContain(hidden.Id());
        list.Items()[0].ShouldHaveKeys(Keys.AgentEvent);
        (await api.Admin().GetAsync($"/api/v1/agents/{world.AgentId}/events?limit=1").JsonAsync(HttpStatusCode.OK)).Ids().ShouldBe([second.Id()]);
        (await api.Admin().GetAsync($"/api/v1/agents/{world.AgentId}/events?limit=1&offset=1").JsonAsync(HttpStatusCode.OK)).Ids().ShouldBe([first.Id()]);
        await api.Admin().GetAsync($"/api/v1/agents/{world.AgentId}/events?limit=1001").ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");
    }

    [Fact]
    public async Task Given_event_list_then_admin_or_self_and_admin_gets_empty_list_for_unknown_id()
    {
        var cast = await Cast.CreateAsync(api, _given);
        var url = $"/api/v1/agents/{cast.AgentId}/events";

        await cast.Agent.GetAsync(url).ShouldBeAsync(HttpStatusCode.OK);
        await cast.OtherAgent.GetAsync(url).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await cast.Generator.GetAsync(url).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await cast.Anonymous.GetAsync(url).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        (await cast.Admin.GetAsync($"/api/v1/agents/{Guid.NewGuid()}/events").JsonAsync(HttpStatusCode.OK)).Items().ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_global_event_feed_then_admin_only_and_pak_id_narrows_it_to_one_tenant()
    {
        var tenant = await WorldAsync();
        var elsewhere = await WorldAsync();
        var mine = await PostEventAsync(tenant.AgentPak, tenant.AgentId, await RevisionAsync(tenant.StackId));
        var theirs = await PostEventAsync(elsewhere.AgentPak, elsewhere.AgentId, await RevisionAsync(elsewhere.StackId));

        var all = await api.Admin().GetAsync("/api/v1/agent-events").JsonAsync(HttpStatusCode.OK);
        var scoped = await api.Admin().GetAsync($"/api/v1/agent-events?pak_id={tenant.GeneratorId}").JsonAsync(HttpStatusCode.OK);
        var unknown = await api.Admin().GetAsync($"/api/v1/agent-events?pak_id={Guid.NewGuid()}").JsonAsync(HttpStatusCode.OK);

        all.Ids().ShouldContain(mine.Id());
        all.Ids().ShouldContain(theirs.Id());
        all.Ids().IndexOf(theirs.Id()).ShouldBeLessThan(all.Ids().IndexOf(mine.Id()));
        scoped.Ids().ShouldBe([mine.Id()]);
        unknown.Items().ShouldBeEmpty();
        (await api.Admin().GetAsync($"/api/v1/agent-events?pak_id=urn:uuid:{tenant.GeneratorId:N}").JsonAsync(HttpStatusCode.OK)).Ids().ShouldBe([mine.Id()]);
        (await api.Admin().GetAsync("/api/v1/agent-events?limit=1").JsonAsync(HttpStatusCode.OK)).Items().Count.ShouldBe(1);
        await api.Admin().GetAsync("/api/v1/agent-events?pak_id=nope").ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");
        await api.Admin().GetAsync("/api/v1/agent-events?offset=-5").ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");
        await api.WithPak(tenant.AgentPak).GetAsync("/api/v1/agent-events").ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        await api.Anonymous().GetAsync("/api/v1/agent-events").ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Given_single_event_lookup_then_admin_only_and_404_for_unknown()
    {
        var world = await WorldAsync();
        var generator = await _given.GeneratorAsync();
        var created = await PostEventAsync(world.AgentPak, world.AgentId, await RevisionAsync(world.StackId));

        await api.WithPak(world.AgentPak).GetAsync($"/api/v1/agent-events/{created.Id()}").ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        await api.WithPak(generator.Pak).GetAsync($"/api/v1/agent-events/{Guid.NewGuid()}").ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        await api.Anonymous().GetAsync($"/api/v1/agent-events/{created.Id()}").ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await api.Admin().GetAsync($"/api/v1/agent-events/{Guid.NewGuid()}").ShouldFailAsync(HttpStatusCode.NotFound, "agent_event_not_found");
        (await api.Admin().GetAsync("/api/v1/agent-events/not-a-uuid")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
