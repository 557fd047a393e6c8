using System.Net;
using Brokkr.Testing;

namespace Brokkr.Agents.Tests;

public sealed class LabelAndAnnotationTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);

    [Fact]
    public async Task Given_admin_then_a_label_is_added_listed_and_removed()
    {
        var agent = await _given.AgentAsync();

        var label = await api.Admin().PostJsonAsync($"/api/v1/agents/{agent.Id}/labels", new { agent_id = agent.Id, label = "env:prod" }).JsonAsync(HttpStatusCode.Created);

        label.ShouldHaveKeys("id", "agent_id", "label");
        label.Id("agent_id").ShouldBe(agent.Id);
        label.Str("label").ShouldBe("env:prod");
        var list = await api.WithPak(agent.Pak).GetAsync($"/api/v1/agents/{agent.Id}/labels").JsonAsync(HttpStatusCode.OK);
        list.Items().ShouldHaveSingleItem()!.Id().ShouldBe(label.Id());
        await api.Admin().DeleteAsync($"/api/v1/agents/{agent.Id}/labels/env:prod").ShouldBeAsync(HttpStatusCode.NoContent);
        (await api.Admin().GetAsync($"/api/v1/agents/{agent.Id}/labels").JsonAsync(HttpStatusCode.OK)).Items().ShouldBeEmpty();
        await api.Admin().DeleteAsync($"/api/v1/agents/{agent.Id}/labels/env:prod").ShouldFailAsync(HttpStatusCode.NotFound, "agent_label_not_found");
    }

    [Fact]
    public async Task Given_label_writes_then_only_admin_may_even_the_agent_itself_is_refused()
    {
        var cast = await Cast.CreateAsync(api, _given);
        var url = $"/api/v1/agents/{cast.AgentId}/labels";
        var body = new { agent_id = cast.AgentId, label = "x" };
        await _given.AgentLabelAsync(cast.AgentId, "present");

        await cast.Agent.PostJsonAsync(url, body).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        await cast.Generator.PostJsonAsync(url, body).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        await cast.Anonymous.PostJsonAsync(url, body).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await cast.Agent.DeleteAsync($"{url}/present").ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        await cast.Generator.DeleteAsync($"{url}/present").ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        await cast.Anonymous.DeleteAsync($"{url}/present").ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Given_label_reads_then_admin_and_the_agent_only_and_admin_gets_empty_list_for_unknown_id()
    {
        var cast = await Cast.CreateAsync(api, _given);
        var url = $"/api/v1/agents/{cast.AgentId}/labels";

        await cast.Agent.GetAsync(url).ShouldBeAsync(HttpStatusCode.OK);
        await cast.OtherAgent.GetAsync(url).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await cast.Generator.GetAsync(url).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await cast.Anonymous.GetAsync(url).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        (await cast.Admin.GetAsync($"/api/v1/agents/{Guid.NewGuid()}/labels").JsonAsync(HttpStatusCode.OK)).Items().ShouldBeEmpty();
        await cast.Agent.GetAsync($"/api/v1/agents/{Guid.NewGuid()}/labels").ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
    }

    [Fact]
    public async Task Given_label_input_problems_then_4xx_in_the_reference_order()
    {
        var agent = await _given.AgentAsync();
        var url = $"/api/v1/agents/{agent.Id}/labels";
        await _given.AgentLabelAsync(agent.Id, "dup");

        await api.Admin().PostJsonAsync(url, "{\"agent_id\":").ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
        await api.Admin().SendRawAsync(HttpMethod.Post, url, "{}", "text/plain").ShouldFailAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await api.Admin().PostJsonAsync(url, new { agent_id = agent.Id }).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await api.Admin().PostJsonAsync(url, new { agent_id = Guid.NewGuid(), label = new string('x', 65) }).ShouldFailAsync(HttpStatusCode.BadRequest, "agent_id_mismatch");
        await api.Admin().PostJsonAsync(url, new { agent_id = agent.Id, label = new string('x', 65) }).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_label");
        var conflict = await api.Admin().PostJsonAsync(url, new { agent_id = agent.Id, label = "dup" }).ShouldFailAsync(HttpStatusCode.Conflict, "unique_violation");
        conflict["details"]!.Str("constraint").ShouldBe("unique_agent_label");
        var unknown = Guid.NewGuid();
        await api.Admin().PostJsonAsync($"/api/v1/agents/{unknown}/labels", new { agent_id = unknown, label = "x" })
            .ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "foreign_key_violation");
        (await api.Admin().PostJsonAsync("/api/v1/agents/not-a-uuid/labels", new { agent_id = agent.Id, label = "x" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("x'; DELETE FROM agent_labels; --")]
    [InlineData("")]
    [InlineData("with space")]
    [InlineData("\U0001F600\U0001F600")]
    public async Task Given_unusual_labels_then_they_are_stored_verbatim(string text)
    {
        var agent = await _given.AgentAsync();

        var label = await api.Admin().PostJsonAsync($"/api/v1/agents/{agent.Id}/labels", new { agent_id = agent.Id, label = text }).JsonAsync(HttpStatusCode.Created);

        label.Str("label").ShouldBe(text);
        var list = await api.Admin().GetAsync($"/api/v1/agents/{agent.Id}/labels").JsonAsync(HttpStatusCode.OK);
        list.Items().ShouldHaveSingleItem()!.Str("label").ShouldBe(text);
    }

    [Fact]
    public async Task Given_64_wide_characters_then_the_label_fits_and_65_do_not()
    {
        var agent = await _given.AgentAsync();
        var url = $"/api/v1/agents/{agent.Id}/labels";

        await api.Admin().PostJsonAsync(url, new { agent_id = agent.Id, label = string.Concat(Enumerable.Repeat("\u00e9", 64)) }).ShouldBeAsync(HttpStatusCode.Created);
        await api.Admin().PostJsonAsync(url, new { agent_id = agent.Id, label = string.Concat(Enumerable.Repeat("\U0001F600", 64)) }).ShouldBeAsync(HttpStatusCode.Created);
        await api.Admin().PostJsonAsync(url, new { agent_id = agent.Id, label = string.Concat(Enumerable.Repeat("\U0001F600", 65)) })
            .ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_label");
        await api.Admin().PostJsonAsync(url, new { agent_id = agent.Id, label = "nul\u0000" }).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_label");
    }

    [Fact]
    public async Task Given_label_with_an_unpaired_surrogate_escape_then_4xx_not_5xx()
    {
        var agent = await _given.AgentAsync();

        var response = await api.Admin().PostJsonAsync($"/api/v1/agents/{agent.Id}/labels", $"{{\"agent_id\":\"{agent.Id}\",\"label\":\"a\\ud800\"}}");

        ((int)response.StatusCode).ShouldBeInRange(400, 499, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Given_label_with_a_slash_then_it_can_be_removed_with_an_encoded_path()
    {
        var agent = await _given.AgentAsync();
        await _given.AgentLabelAsync(agent.Id, "team/a b%");

        await api.Admin().DeleteAsync($"/api/v1/agents/{agent.Id}/labels/team%2Fa%20b%25").ShouldBeAsync(HttpStatusCode.NoContent);

        (await api.Admin().GetAsync($"/api/v1/agents/{agent.Id}/labels").JsonAsync(HttpStatusCode.OK)).Items().ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_admin_then_an_annotation_is_added_listed_and_removed()
    {
        var agent = await _given.AgentAsync();

        var annotation = await api.Admin().PostJsonAsync($"/api/v1/agents/{agent.Id}/annotations", new { agent_id = agent.Id, key = "app.kubernetes.io/tier", value = "web" })
            .JsonAsync(HttpStatusCode.Created);

        annotation.ShouldHaveKeys("id", "agent_id", "key", "value");
        annotation.Str("key").ShouldBe("app.kubernetes.io/tier");
        annotation.Str("value").ShouldBe("web");
        var list = await api.WithPak(agent.Pak).GetAsync($"/api/v1/agents/{agent.Id}/annotations").JsonAsync(HttpStatusCode.OK);
        list.Items().ShouldHaveSingleItem()!.Id().ShouldBe(annotation.Id());
        await api.Admin().DeleteAsync($"/api/v1/agents/{agent.Id}/annotations/app.kubernetes.io%2Ftier").ShouldBeAsync(HttpStatusCode.NoContent);
        (await api.Admin().GetAsync($"/api/v1/agents/{agent.Id}/annotations").JsonAsync(HttpStatusCode.OK)).Items().ShouldBeEmpty();
        await api.Admin().DeleteAsync($"/api/v1/agents/{agent.Id}/annotations/app.kubernetes.io%2Ftier")
            .ShouldFailAsync(HttpStatusCode.NotFound, "agent_annotation_not_found");
    }

    [Fact]
    public async Task Given_annotation_identities_then_writes_are_admin_only_and_reads_admin_or_self()
    {
        var cast = await Cast.CreateAsync(api, _given);
        var url = $"/api/v1/agents/{cast.AgentId}/annotations";
        var body = new { agent_id = cast.AgentId, key = "k", value = "v" };
        await _given.AgentAnnotationAsync(cast.AgentId, "present", "v");

        await cast.Agent.PostJsonAsync(url, body).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        await cast.Generator.PostJsonAsync(url, body).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        await cast.Anonymous.PostJsonAsync(url, body).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await cast.Agent.DeleteAsync($"{url}/present").ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        await cast.Agent.GetAsync(url).ShouldBeAsync(HttpStatusCode.OK);
        await cast.OtherAgent.GetAsync(url).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await cast.Generator.GetAsync(url).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await cast.Anonymous.GetAsync(url).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        (await cast.Admin.GetAsync($"/api/v1/agents/{Guid.NewGuid()}/annotations").JsonAsync(HttpStatusCode.OK)).Items().ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_annotation_input_problems_then_4xx()
    {
        var agent = await _given.AgentAsync();
        var url = $"/api/v1/agents/{agent.Id}/annotations";
        await _given.AgentAnnotationAsync(agent.Id, "dup", "1");

        await api.Admin().PostJsonAsync(url, "[").ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
        await api.Admin().PostJsonAsync(url, new { agent_id = agent.Id, key = "k" }).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await api.Admin().PostJsonAsync(url, new { agent_id = Guid.NewGuid(), key = "k", value = "v" }).ShouldFailAsync(HttpStatusCode.BadRequest, "agent_id_mismatch");
        await api.Admin().PostJsonAsync(url, new { agent_id = agent.Id, key = new string('k', 65), value = "v" }).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_annotation");
        await api.Admin().PostJsonAsync(url, new { agent_id = agent.Id, key = "k", value = new string('v', 65) }).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_annotation");
        var conflict = await api.Admin().PostJsonAsync(url, new { agent_id = agent.Id, key = "dup", value = "2" }).ShouldFailAsync(HttpStatusCode.Conflict, "unique_violation");
        conflict["details"]!.Str("constraint").ShouldBe("unique_agent_annotation_key");
        var sql = await api.Admin().PostJsonAsync(url, new { agent_id = agent.Id, key = "' OR 1=1 --", value = "\"; DROP TABLE x" }).JsonAsync(HttpStatusCode.Created);
        sql.Str("key").ShouldBe("' OR 1=1 --");
        sql.Str("value").ShouldBe("\"; DROP TABLE x");
    }
}
