namespace Brokkr.WorkOrders.Tests;

public sealed class ClaimTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);
    private readonly HttpClient _admin = api.Admin();

    [Fact]
    public async Task Given_a_targeted_agent_then_it_claims_the_order_and_the_claim_is_audited()
    {
        var agent = await _given.AgentAsync();
        var id = await _admin.OrderForAsync([agent.Id]);

        var claimed = await api.WithPak(agent.Pak).ClaimAsync(id, agent.Id).JsonAsync(HttpStatusCode.OK);

        claimed.ShouldHaveKeys(Keys.WorkOrder);
        claimed.Id().ShouldBe(id);
        claimed.Str("status").ShouldBe("CLAIMED");
        claimed.Id("claimed_by").ShouldBe(agent.Id);
        claimed["claimed_at"].ShouldNotBeNull();
        var audit = (await api.AuditAsync("workorder.claimed", id)).ShouldHaveSingleItem();
        audit.ActorType.ShouldBe("agent");
        audit.ActorId.ShouldBe(agent.Id);
        audit.Details!.Id("agent_id").ShouldBe(agent.Id);
    }

    [Fact]
    public async Task Given_admin_then_it_claims_on_behalf_of_a_targeted_agent()
    {
        var agent = await _given.AgentAsync();
        var id = await _admin.OrderForAsync([agent.Id]);

        var claimed = await _admin.ClaimAsync(id, agent.Id).JsonAsync(HttpStatusCode.OK);

        claimed.Id("claimed_by").ShouldBe(agent.Id);
        var audit = (await api.AuditAsync("workorder.claimed", id)).ShouldHaveSingleItem();
        audit.ActorType.ShouldBe("admin");
        audit.Details!.Id("agent_id").ShouldBe(agent.Id);
    }

    [Fact]
    public async Task Given_a_label_match_then_the_agent_sees_and_claims_the_order_and_an_agent_without_it_does_not()
    {
        var matching = await _given.AgentAsync();
        var other = await _given.AgentAsync();
        await _given.AgentLabelAsync(matching.Id, "gpu");
        await _given.AgentLabelAsync(other.Id, "cpu");
        var id = (await _admin.CreateAsync(new { work_type = "build", yaml_content = WorkOrders.Yaml, targeting = new { labels = new[] { "gpu", "arm" } } })).Id();

        (await api.WithPak(other.Pak).PendingAsync(other.Id)).ShouldNotContain(id);
        await api.WithPak(other.Pak).ClaimAsync(id, other.Id).ShouldFailAsync(HttpStatusCode.NotFound, "work_order_not_claimable");
        (await api.WithPak(matching.Pak).PendingAsync(matching.Id)).ShouldContain(id);
        await api.WithPak(matching.Pak).ClaimAsync(id, matching.Id).ShouldBeAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Given_an_annotation_match_then_only_the_exact_key_and_value_reach_the_agent()
    {
        var matching = await _given.AgentAsync();
        var otherValue = await _given.AgentAsync();
        var otherKey = await _given.AgentAsync();
        await _given.AgentAnnotationAsync(matching.Id, "zone", "eu-1");
        await _given.AgentAnnotationAsync(otherValue.Id, "zone", "us-1");
        await _given.AgentAnnotationAsync(otherKey.Id, "region", "eu-1");
        var id = (await _admin.CreateAsync(new
        {
            work_type = "build",
            yaml_content = WorkOrders.Yaml,
            targeting = new { annotations = new Dictionary<string, string> { ["zone"] = "eu-1", ["team"] = "x" } },
        })).Id();

        foreach (var (agentId, pak) in new[] { otherValue, otherKey })
        {
            (await api.WithPak(pak).PendingAsync(agentId)).ShouldNotContain(id);
            await api.WithPak(pak).ClaimAsync(id, agentId).ShouldFailAsync(HttpStatusCode.NotFound, "work_order_not_claimable");
        }

        (await api.WithPak(matching.Pak).PendingAsync(matching.Id)).ShouldContain(id);
        await api.WithPak(matching.Pak).ClaimAsync(id, matching.Id).ShouldBeAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Given_an_explicit_target_then_another_agent_cannot_claim_it()
    {
        var targeted = await _given.AgentAsync();
        var other = await _given.AgentAsync();
        var id = await _admin.OrderForAsync([targeted.Id]);

        (await api.WithPak(other.Pak).PendingAsync(other.Id)).ShouldNotContain(id);
        await api.WithPak(other.Pak).ClaimAsync(id, other.Id).ShouldFailAsync(HttpStatusCode.NotFound, "work_order_not_claimable");
        await _admin.ClaimAsync(id, other.Id).ShouldFailAsync(HttpStatusCode.NotFound, "work_order_not_claimable");
    }

    [Fact]
    public async Task Given_an_agent_registered_with_no_generator_of_its_own_then_label_orders_still_reach_it()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync();
        await _given.AgentLabelAsync(agent.Id, "no-gate");
        var id = (await _admin.CreateAsync(new { work_type = "build", yaml_content = WorkOrders.Yaml, targeting = new { labels = new[] { "no-gate" } } })).Id();

        (await _admin.GetAsync($"/api/v1/generators/{generator.Id}/registered-agents").JsonAsync(HttpStatusCode.OK)).Ids().ShouldNotContain(agent.Id);
        (await api.WithPak(agent.Pak).PendingAsync(agent.Id)).ShouldContain(id);
    }

    [Fact]
    public async Task Given_claimed_or_unknown_orders_then_404_work_order_not_claimable()
    {
        var agent = await _given.AgentAsync();
        var client = api.WithPak(agent.Pak);
        var id = await _admin.OrderForAsync([agent.Id]);
        await client.ClaimAsync(id, agent.Id).ShouldBeAsync(HttpStatusCode.OK);

        await client.ClaimAsync(id, agent.Id).ShouldFailAsync(HttpStatusCode.NotFound, "work_order_not_claimable");
        await client.ClaimAsync(Guid.NewGuid(), agent.Id).ShouldFailAsync(HttpStatusCode.NotFound, "work_order_not_claimable");
        (await client.PendingAsync(agent.Id)).ShouldNotContain(id);
    }

    [Fact]
    public async Task Given_a_deleted_agent_then_admin_cannot_claim_for_it_and_its_list_is_empty()
    {
        var agent = await _given.AgentAsync();
        var id = await _admin.OrderForAsync([agent.Id]);
        await _admin.DeleteAsync($"/api/v1/agents/{agent.Id}").ShouldBeAsync(HttpStatusCode.NoContent);

        (await _admin.PendingAsync(agent.Id)).ShouldBeEmpty();
        await _admin.ClaimAsync(id, agent.Id).ShouldFailAsync(HttpStatusCode.NotFound, "work_order_not_claimable");
    }

    [Fact]
    public async Task Pending_orders_are_oldest_first_and_filter_by_work_type_and_page()
    {
        var agent = await _given.AgentAsync();
        await _given.AgentLabelAsync(agent.Id, "order-test");
        var first = await _admin.OrderForAsync([agent.Id], workType: "build");
        var second = (await _admin.CreateAsync(new { work_type = "test", yaml_content = WorkOrders.Yaml, targeting = new { labels = new[] { "order-test" } } })).Id();
        var third = await _admin.OrderForAsync([agent.Id], workType: "build");
        var client = api.WithPak(agent.Pak);

        (await client.PendingAsync(agent.Id)).ShouldBe([first, second, third]);
        (await client.PendingAsync(agent.Id, "?work_type=build")).ShouldBe([first, third]);
        (await client.PendingAsync(agent.Id, "?work_type=none")).ShouldBeEmpty();
        (await client.PendingAsync(agent.Id, "?limit=1&offset=1")).ShouldBe([second]);
        (await _admin.PendingAsync(agent.Id)).ShouldBe([first, second, third]);
        var item = (await client.GetAsync($"/api/v1/agents/{agent.Id}/work-orders/pending").JsonAsync(HttpStatusCode.OK)).AsArray()[0];
        item.ShouldHaveKeys(Keys.WorkOrder);
    }

    [Fact]
    public async Task Pending_list_of_an_unknown_agent_for_admin_is_empty_and_bad_parameters_are_400()
    {
        (await _admin.PendingAsync(Guid.NewGuid())).ShouldBeEmpty();
        await _admin.GetAsync("/api/v1/agents/not-a-uuid/work-orders/pending").ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_request");
        await _admin.GetAsync($"/api/v1/agents/{Guid.NewGuid()}/work-orders/pending?limit=0").ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");
        await _admin.GetAsync($"/api/v1/agents/{Guid.NewGuid()}/work-orders/pending?limit=1001").ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");
    }

    [Fact]
    public async Task Given_two_agents_claiming_concurrently_then_exactly_one_wins_every_time()
    {
        var a = await _given.AgentAsync();
        var b = await _given.AgentAsync();
        var (clientA, clientB) = (api.WithPak(a.Pak), api.WithPak(b.Pak));

        for (var round = 0; round < 20; round++)
        {
            var id = await _admin.OrderForAsync([a.Id, b.Id]);

            var responses = await Task.WhenAll(clientA.ClaimAsync(id, a.Id), clientB.ClaimAsync(id, b.Id));

            await ShouldHaveOneWinnerAsync(responses);
            var winner = responses[0].StatusCode == HttpStatusCode.OK ? a.Id : b.Id;
            (await api.ScalarAsync("SELECT claimed_by FROM work_orders WHERE id = $1", id)).ShouldBe(winner);
            (await api.AuditAsync("workorder.claimed", id)).ShouldHaveSingleItem().ActorId.ShouldBe(winner);
        }
    }

    [Fact]
    public async Task Given_one_agent_claiming_twice_concurrently_then_exactly_one_call_wins_every_time()
    {
        var agent = await _given.AgentAsync();
        var (first, second) = (api.WithPak(agent.Pak), api.WithPak(agent.Pak));

        for (var round = 0; round < 20; round++)
        {
            var id = await _admin.OrderForAsync([agent.Id]);

            var responses = await Task.WhenAll(first.ClaimAsync(id, agent.Id), second.ClaimAsync(id, agent.Id), _admin.ClaimAsync(id, agent.Id));

            await ShouldHaveOneWinnerAsync(responses);
        }
    }

    [Fact]
    public async Task Given_a_claim_body_of_the_wrong_shape_then_422_before_the_order_is_looked_up()
    {
        var agent = await _given.AgentAsync();
        var client = api.WithPak(agent.Pak);
        var unknown = $"/api/v1/work-orders/{Guid.NewGuid()}/claim";

        await client.PostJsonAsync(unknown, "{}").ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await client.PostJsonAsync(unknown, """{"agent_id":"nope"}""").ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await client.PostJsonAsync(unknown, """{"agent_id":null}""").ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await client.PostJsonAsync(unknown, "{not json").ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
        await client.SendRawAsync(HttpMethod.Post, unknown, $$"""{"agent_id":"{{agent.Id}}"}""", "text/plain").ShouldFailAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await client.PostJsonAsync("/api/v1/work-orders/not-a-uuid/claim", new { agent_id = agent.Id }).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Given_the_agent_id_in_any_accepted_uuid_form_then_the_claim_matches_the_agent()
    {
        var agent = await _given.AgentAsync();
        var id = await _admin.OrderForAsync([agent.Id]);

        var claimed = await api.WithPak(agent.Pak).PostJsonAsync($"/api/v1/work-orders/{id}/claim", $$"""{"agent_id":"{{agent.Id.ToString("N").ToUpperInvariant()}}"}""")
            .JsonAsync(HttpStatusCode.OK);

        claimed.Str("claimed_by").ShouldBe(agent.Id.ToString());
    }

    private static async Task ShouldHaveOneWinnerAsync(HttpResponseMessage[] responses)
    {
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        var summary = string.Join(" | ", responses.Select((r, i) => $"{(int)r.StatusCode} {bodies[i]}"));
        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1, summary);
        for (var i = 0; i < responses.Length; i++)
        {
            if (responses[i].StatusCode != HttpStatusCode.OK)
            {
                responses[i].StatusCode.ShouldBe(HttpStatusCode.NotFound, summary);
                JsonNode.Parse(bodies[i])!.Str("code").ShouldBe("work_order_not_claimable", summary);
            }
        }
    }
}
