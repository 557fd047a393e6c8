using System.Net;
using Brokkr.Testing;

namespace Brokkr.Agents.Tests;

public sealed class CreateAgentTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);

    [Fact]
    public async Task Given_admin_then_agent_is_created_inactive_with_its_pak_once()
    {
        var name = Scenario.Unique("agent");

        var body = await api.Admin().PostJsonAsync("/api/v1/agents", new { name, cluster_name = "prod-eu" }).JsonAsync(HttpStatusCode.Created);

        body.ShouldHaveKeys("agent", "initial_pak");
        var agent = body["agent"]!;
        agent.ShouldHaveKeys(Keys.Agent);
        agent.Str("name").ShouldBe(name);
        agent.Str("cluster_name").ShouldBe("prod-eu");
        agent.Str("status").ShouldBe("INACTIVE");
        agent["deleted_at"].ShouldBeNull();
        agent["last_heartbeat"].ShouldBeNull();
        agent["k8s_reachable"].ShouldBeNull();
        agent.Str("created_at").ShouldEndWith("Z");
        body.Str("initial_pak").ShouldStartWith("brokkr_BR");
        var identity = await api.WithPak(body.Str("initial_pak")).PostAsync("/api/v1/auth/pak", null).JsonAsync(HttpStatusCode.OK);
        identity.Str("agent").ShouldBe(agent.Str("id"));
    }

    [Fact]
    public async Task Given_generator_ids_then_agent_is_registered_with_them_and_the_system_generator()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);

        var registrations = await api.Admin().GetAsync($"/api/v1/agents/{agent.Id}/registrations").JsonAsync(HttpStatusCode.OK);

        registrations.Items().Count.ShouldBe(2);
        registrations.Ids("generator_id").ShouldContain(generator.Id);
        var system = await Database.ScalarAsync(api, "SELECT id FROM generators WHERE name = '__system__'");
        registrations.Ids("generator_id").ShouldContain((Guid)system!);
    }

    [Fact]
    public async Task Given_creation_then_agent_created_and_pak_created_are_audited_as_admin()
    {
        var agent = await _given.AgentAsync();

        var created = (await Database.AuditAsync(api, "agent.created", agent.Id)).ShouldHaveSingleItem();
        created.ActorType.ShouldBe("admin");
        created.ActorId.ShouldBeNull();
        created.ResourceType.ShouldBe("agent");
        created.Details!["cluster_name"]!.GetValue<string>().ShouldBe("cluster-a");
        var pak = (await Database.AuditAsync(api, "pak.created", agent.Id)).ShouldHaveSingleItem();
        pak.ResourceType.ShouldBe("pak");
        pak.Details!["entity"]!.GetValue<string>().ShouldBe("agent");
    }

    [Fact]
    public async Task Given_non_admin_callers_then_creation_is_refused()
    {
        var cast = await Cast.CreateAsync(api, _given);
        var body = new { name = Scenario.Unique("a"), cluster_name = "c" };

        await cast.Anonymous.PostJsonAsync("/api/v1/agents", body).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await cast.Generator.PostJsonAsync("/api/v1/agents", body).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        await cast.Agent.PostJsonAsync("/api/v1/agents", body).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
    }

    [Fact]
    public async Task Given_body_problems_then_extraction_errors_come_before_the_admin_check()
    {
        var cast = await Cast.CreateAsync(api, _given);

        await cast.Agent.PostJsonAsync("/api/v1/agents", "{\"name\":").ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
        await cast.Agent.PostJsonAsync("/api/v1/agents", new { name = "x" }).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await cast.Admin.SendRawAsync(HttpMethod.Post, "/api/v1/agents", "{\"name\":\"a\",\"cluster_name\":\"b\"}", "text/plain")
            .ShouldFailAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await cast.Admin.PostJsonAsync("/api/v1/agents", new { name = "a", cluster_name = "b", generator_ids = new[] { "not-a-uuid" } })
            .ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
    }

    [Fact]
    public async Task Given_unknown_generator_id_then_400_before_name_validation()
    {
        var generator = await _given.GeneratorAsync();

        await api.Admin().PostJsonAsync("/api/v1/agents", new { name = "", cluster_name = "", generator_ids = new[] { generator.Id, Guid.NewGuid() } })
            .ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_generator_id");
    }

    [Theory]
    [InlineData("", "c")]
    [InlineData("a", "   ")]
    [InlineData("a\u0000b", "c")]
    public async Task Given_blank_or_unstorable_names_then_invalid_agent(string name, string cluster)
    {
        await api.Admin().PostJsonAsync("/api/v1/agents", new { name, cluster_name = cluster }).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_agent");
    }

    [Fact]
    public async Task Given_names_longer_than_255_characters_then_invalid_agent_but_255_wide_characters_fit()
    {
        await api.Admin().PostJsonAsync("/api/v1/agents", new { name = new string('n', 256), cluster_name = "c" })
            .ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_agent");
        await api.Admin().PostJsonAsync("/api/v1/agents", new { name = "n", cluster_name = new string('c', 256) })
            .ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_agent");

        var wide = string.Concat(Enumerable.Repeat("\U0001F600", 255));
        var body = await api.Admin().PostJsonAsync("/api/v1/agents", new { name = wide, cluster_name = "c" }).JsonAsync(HttpStatusCode.Created);
        body["agent"]!.Str("name").ShouldBe(wide);
    }

    [Fact]
    public async Task Given_taken_name_and_cluster_then_409_naming_the_constraint()
    {
        var name = Scenario.Unique("dup");
        await _given.AgentAsync(name, "c1");

        var error = await api.Admin().PostJsonAsync("/api/v1/agents", new { name, cluster_name = "c1" }).ShouldFailAsync(HttpStatusCode.Conflict, "unique_violation");

        error["details"]!.Str("constraint").ShouldBe("unique_agent_cluster");
        await api.Admin().PostJsonAsync("/api/v1/agents", new { name, cluster_name = "c2" }).ShouldBeAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Given_sql_looking_name_then_it_is_stored_verbatim()
    {
        const string name = "x'); DROP TABLE agents; --";

        var body = await api.Admin().PostJsonAsync("/api/v1/agents", new { name, cluster_name = "c" }).JsonAsync(HttpStatusCode.Created);

        var fetched = await api.Admin().GetAsync($"/api/v1/agents/{body["agent"]!.Id()}").JsonAsync(HttpStatusCode.OK);
        fetched.Str("name").ShouldBe(name);
    }
}
