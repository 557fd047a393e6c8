using System.Net;
using Brokkr.Testing;

namespace Brokkr.Agents.Tests;

/// <summary><c>POST /api/v1/agents/{id}/events/batch</c> (ADR 0031): the single route's checks, all or nothing.</summary>
public sealed class EventBatchTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);

    private static string Url(Guid id) => $"/api/v1/agents/{id}/events/batch";

    private async Task<Guid> RevisionAsync(Guid generatorId)
    {
        var stack = await _given.StackAsync(generatorId);
        return (await _given.DeploymentObjectAsync(stack, $"kind: ConfigMap\nmetadata:\n  name: c{Guid.NewGuid():N}\n")).Id();
    }

    private static object Event(Guid agent, Guid revision, string status = "SUCCESS", string? message = null, string type = "DEPLOY")
        => new { agent_id = agent, deployment_object_id = revision, event_type = type, status, message };

    private async Task<long> StoredAsync(Guid agentId)
        => (long)(await Database.ScalarAsync(api, "SELECT count(*) FROM agent_events WHERE agent_id = $1", agentId))!;

    [Fact]
    public async Task Given_a_batch_then_every_event_is_stored_in_order_and_listed_newest_first()
    {
        var cast = await Cast.CreateAsync(api, _given);
        var revision = await RevisionAsync(cast.GeneratorId);
        var sent = Enumerable.Range(0, 5).Select(i => Event(cast.AgentId, revision, i % 2 == 0 ? "SUCCESS" : "FAILURE", $"m{i}")).ToArray();

        var created = await cast.Agent.PostJsonAsync(Url(cast.AgentId), sent).JsonAsync(HttpStatusCode.Created);

        created.AsArray().Count.ShouldBe(5);
        created.AsArray().Select(e => e!.Str("message")).ShouldBe(["m0", "m1", "m2", "m3", "m4"]);
        created[0]!.ShouldHaveKeys(Keys.AgentEvent);
        created.AsArray().ShouldAllBe(e => e!.Id("agent_id") == cast.AgentId && e!.Str("event_type") == "DEPLOY");
        var listed = await cast.Agent.GetAsync($"/api/v1/agents/{cast.AgentId}/events").JsonAsync(HttpStatusCode.OK);
        listed.Ids().ShouldBe(created.Ids().AsEnumerable().Reverse());
        var fetched = await api.Admin().GetAsync($"/api/v1/agent-events/{created[2]!.Id()}").JsonAsync(HttpStatusCode.OK);
        fetched.ToJsonString().ShouldBe(created[2]!.ToJsonString());
        (await cast.Admin.PostJsonAsync(Url(cast.AgentId), new[] { Event(cast.AgentId, revision) }).JsonAsync(HttpStatusCode.Created)).AsArray().Count.ShouldBe(1);
        (await cast.Agent.PostJsonAsync(Url(cast.AgentId), Array.Empty<object>()).JsonAsync(HttpStatusCode.Created)).AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_batch_posts_then_the_single_routes_checks_apply_and_a_refused_batch_stores_nothing()
    {
        var cast = await Cast.CreateAsync(api, _given);
        var revision = await RevisionAsync(cast.GeneratorId);
        var url = Url(cast.AgentId);
        var good = Event(cast.AgentId, revision);

        await cast.OtherAgent.PostJsonAsync(url, new[] { good }).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await cast.Generator.PostJsonAsync(url, new[] { good }).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await cast.Anonymous.PostJsonAsync(url, new[] { good }).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await cast.Agent.PostJsonAsync(url, "[{oops").ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
        await cast.Agent.PostJsonAsync(url, good).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await cast.Agent.PostJsonAsync(url, new object?[] { good, null }).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await api.Admin().SendRawAsync(HttpMethod.Post, url, "[]", "text/plain").ShouldFailAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await cast.Agent.PostJsonAsync(url, Enumerable.Repeat(good, 1001).ToArray()).ShouldFailAsync(HttpStatusCode.RequestEntityTooLarge, "too_many_events");

        var mismatch = await cast.Agent.PostJsonAsync(url, new[] { good, Event(cast.OtherAgentId, revision) }).ShouldFailAsync(HttpStatusCode.BadRequest, "agent_id_mismatch");
        mismatch["details"]!["index"]!.GetValue<int>().ShouldBe(1);
        var tooLong = await cast.Agent.PostJsonAsync(url, new[] { good, good, Event(cast.AgentId, revision, type: new string('E', 51)) }).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_agent_event");
        tooLong["details"]!["index"]!.GetValue<int>().ShouldBe(2);
        await cast.Agent.PostJsonAsync(url, new[] { good, Event(cast.AgentId, revision, status: "SUCCESSFUL!") }).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_agent_event");
        await cast.Agent.PostJsonAsync(url, new[] { good, Event(cast.AgentId, Guid.NewGuid()) }).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "foreign_key_violation");
        (await StoredAsync(cast.AgentId)).ShouldBe(0);

        await cast.Agent.PostJsonAsync(url, Enumerable.Repeat(good, 1000).ToArray()).ShouldBeAsync(HttpStatusCode.Created);
        (await StoredAsync(cast.AgentId)).ShouldBe(1000);
    }

    [Fact]
    public async Task Given_an_unknown_agent_then_the_admin_gets_422_and_nothing_is_stored()
    {
        var generator = await _given.GeneratorAsync();
        var revision = await RevisionAsync(generator.Id);
        var unknown = Guid.NewGuid();

        var error = await api.Admin().PostJsonAsync(Url(unknown), new[] { Event(unknown, revision), Event(unknown, revision) })
            .ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "foreign_key_violation");

        error["details"]!.Str("constraint").ShouldBe("agent_events_agent_id_fkey");
        (await StoredAsync(unknown)).ShouldBe(0);
    }

    [Fact]
    public async Task Given_deployment_outcomes_in_a_batch_then_each_has_its_webhook_delivery_in_the_outbox()
    {
        var cast = await Cast.CreateAsync(api, _given);
        var revision = await RevisionAsync(cast.GeneratorId);
        var hook = (await api.Admin().PostJsonAsync("/api/v1/webhooks",
                new { name = Scenario.Unique("hook"), url = "http://127.0.0.1:9/hook", event_types = new[] { "deployment.*" }, filters = new { agent_id = cast.AgentId } })
            .JsonAsync(HttpStatusCode.Created)).Id();

        var created = await cast.Agent.PostJsonAsync(Url(cast.AgentId), new[]
        {
            Event(cast.AgentId, revision, "SUCCESS"), Event(cast.AgentId, revision, "PENDING"), Event(cast.AgentId, revision, "failure"),
        }).JsonAsync(HttpStatusCode.Created);

        var ids = created.Ids();
        var rows = await Database.ScalarAsync(api, """
            SELECT string_agg(event_type || ':' || (payload::jsonb -> 'data' ->> 'agent_event_id'), ',' ORDER BY event_type)
            FROM webhook_deliveries WHERE subscription_id = $1
            """, hook);
        rows.ShouldBe($"deployment.applied:{ids[0]},deployment.failed:{ids[2]}");
    }
}
