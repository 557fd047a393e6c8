using System.Net;
using Brokkr.Testing;

namespace Brokkr.Agents.Tests;

public sealed class ListAndSearchAgentTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);

    [Fact]
    public async Task Given_admin_then_every_live_agent_is_listed()
    {
        var first = await _given.AgentAsync();
        var deleted = await _given.AgentAsync();
        await api.Admin().DeleteAsync($"/api/v1/agents/{deleted.Id}").ShouldBeAsync(HttpStatusCode.NoContent);

        var list = await api.Admin().GetAsync("/api/v1/agents").JsonAsync(HttpStatusCode.OK);

        list.Ids().ShouldContain(first.Id);
        list.Ids().ShouldNotContain(deleted.Id);
        list.Items()[0].ShouldHaveKeys(Keys.Agent);
    }

    [Fact]
    public async Task Given_generator_then_only_agents_registered_with_it_are_listed()
    {
        var generator = await _given.GeneratorAsync();
        var mine = await _given.AgentAsync(generatorIds: generator.Id);
        var registeredLater = await _given.AgentAsync();
        await _given.RegisterAsync(registeredLater.Id, generator.Id);
        var notMine = await _given.AgentAsync();

        var list = await api.WithPak(generator.Pak).GetAsync("/api/v1/agents").JsonAsync(HttpStatusCode.OK);

        list.Ids().ShouldBe([mine.Id, registeredLater.Id], ignoreOrder: true);
        list.Ids().ShouldNotContain(notMine.Id);
    }

    [Fact]
    public async Task Given_agent_pak_or_no_pak_then_listing_is_refused()
    {
        var agent = await _given.AgentAsync();

        await api.WithPak(agent.Pak).GetAsync("/api/v1/agents").ShouldFailAsync(HttpStatusCode.Forbidden, "generator_required");
        await api.Anonymous().GetAsync("/api/v1/agents").ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Given_limit_and_offset_then_pages_partition_the_list()
    {
        var generator = await _given.GeneratorAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await _given.AgentAsync(generatorIds: generator.Id)).Id);
        }

        var client = api.WithPak(generator.Pak);
        var all = await client.GetAsync("/api/v1/agents").JsonAsync(HttpStatusCode.OK);
        var page1 = await client.GetAsync("/api/v1/agents?limit=2").JsonAsync(HttpStatusCode.OK);
        var page2 = await client.GetAsync("/api/v1/agents?limit=2&offset=2").JsonAsync(HttpStatusCode.OK);
        var rest = await client.GetAsync("/api/v1/agents?offset=4").JsonAsync(HttpStatusCode.OK);

        all.Ids().ShouldBe(ids);
        page1.Ids().Concat(page2.Ids()).Concat(rest.Ids()).ShouldBe(ids);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("offset=-1")]
    public async Task Given_paging_out_of_range_then_400(string query)
    {
        var error = await api.Admin().GetAsync($"/api/v1/agents?{query}").ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");

        error["details"]!.Str("parameter").ShouldBe(query.Split('=')[0]);
    }

    [Fact]
    public async Task Given_unparseable_paging_then_400_before_the_caller_check()
    {
        var agent = await _given.AgentAsync();

        var response = await api.WithPak(agent.Pak).GetAsync("/api/v1/agents?limit=abc");

        await response.ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");
    }

    [Fact]
    public async Task Given_name_and_cluster_then_the_agent_finds_itself_through_the_trailing_slash_route()
    {
        var name = Scenario.Unique("self");
        var agent = await _given.AgentAsync(name, "edge-1");

        var found = await api.WithPak(agent.Pak).GetAsync($"/api/v1/agents/?name={name}&cluster_name=edge-1").JsonAsync(HttpStatusCode.OK);

        found.ShouldHaveKeys(Keys.Agent);
        found.Id().ShouldBe(agent.Id);
        (await api.Admin().GetAsync($"/api/v1/agents/?name={name}&cluster_name=edge-1").JsonAsync(HttpStatusCode.OK)).Id().ShouldBe(agent.Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?name=a")]
    [InlineData("?cluster_name=b")]
    public async Task Given_missing_search_parameters_then_name_and_cluster_required(string query)
    {
        await api.Admin().GetAsync($"/api/v1/agents/{query}").ShouldFailAsync(HttpStatusCode.BadRequest, "name_and_cluster_required");
    }

    [Fact]
    public async Task Given_search_then_lookup_comes_before_authorization()
    {
        var name = Scenario.Unique("s");
        await _given.AgentAsync(name, "c");
        var other = await _given.AgentAsync();
        var generator = await _given.GeneratorAsync();

        await api.WithPak(other.Pak).GetAsync("/api/v1/agents/?name=nobody&cluster_name=c").ShouldFailAsync(HttpStatusCode.NotFound, "agent_not_found");
        await api.WithPak(other.Pak).GetAsync($"/api/v1/agents/?name={name}&cluster_name=c").ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await api.WithPak(generator.Pak).GetAsync($"/api/v1/agents/?name={name}&cluster_name=c").ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await api.Anonymous().GetAsync($"/api/v1/agents/?name={name}&cluster_name=c").ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Given_soft_deleted_agent_then_search_does_not_find_it()
    {
        var name = Scenario.Unique("gone");
        var agent = await _given.AgentAsync(name, "c");
        await api.Admin().DeleteAsync($"/api/v1/agents/{agent.Id}").ShouldBeAsync(HttpStatusCode.NoContent);

        await api.Admin().GetAsync($"/api/v1/agents/?name={name}&cluster_name=c").ShouldFailAsync(HttpStatusCode.NotFound, "agent_not_found");
    }

    [Fact]
    public async Task Given_the_openapi_document_then_list_and_search_are_both_described()
    {
        var document = await api.Anonymous().GetAsync("/docs/openapi.json").JsonAsync(HttpStatusCode.OK);

        var paths = document["paths"]!.AsObject();
        paths["/agents"]!["get"]!.Str("operationId").ShouldBe("list_agents");
        var search = paths["/agents/"]!["get"]!;
        search.Str("operationId").ShouldBe("search_agent");
        search["parameters"]!.AsArray().Select(p => p!.Str("name")).ShouldBe(["name", "cluster_name"], ignoreOrder: true);
        paths.Select(p => p.Key).ShouldAllBe(key => !key.Contains("__"));
        var heartbeat = paths["/agents/{id}/heartbeat"]!["post"]!;
        heartbeat.Str("operationId").ShouldBe("record_heartbeat");
        heartbeat["requestBody"]!["content"]!["application/json"].ShouldNotBeNull();
        paths["/agents/{id}/registrations"]!["get"]!["responses"]!["200"]!.ToJsonString().ShouldContain("#/components/schemas/AgentGeneratorRegistration");
    }
}
