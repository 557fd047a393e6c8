namespace Brokkr.Diagnostics.Tests;

/// <summary>
/// Pending list, read, claim and result (behaviour §3.6, §8; details §2.2, §3.4): who may call,
/// the order of 404 before 403 before 409 before 400, and the claim's atomicity.
/// </summary>
public sealed class DiagnosticLifecycleTests(ClockedApiFactory api) : IClassFixture<ClockedApiFactory>
{
    private static string Pending(Guid agent) => $"/api/v1/agents/{agent}/diagnostics/pending";

    private static string Get(Guid request) => $"/api/v1/diagnostics/{request}";

    private static string Claim(Guid request) => $"/api/v1/diagnostics/{request}/claim";

    private static string Result(Guid request) => $"/api/v1/diagnostics/{request}/result";

    [Fact]
    public async Task Pending_lists_the_agents_open_requests_oldest_first()
    {
        var world = await api.WorldAsync();
        var first = await api.RequestAsync(world);
        api.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await api.RequestAsync(world);
        var claimed = await api.RequestAsync(world);
        await api.ClaimAsync(world, claimed.Id());
        await api.RequestAsync(world, new { agent_id = world.OtherAgent });

        var pending = await (await api.WithPak(world.AgentPak).GetAsync(Pending(world.Agent))).ArrayAsync();

        pending.Ids().ShouldBe([first.Id(), second.Id()]);
        pending[0]!.ShouldHaveExactKeys(DiagnosticsScenario.RequestKeys);
        pending[0]!.ToJsonString().ShouldBe(first.ToJsonString());
        (await (await api.Admin().GetAsync(Pending(world.Agent))).ArrayAsync()).Ids().ShouldBe([first.Id(), second.Id()]);
    }

    [Fact]
    public async Task Pending_leaves_out_requests_past_their_expiry()
    {
        var world = await api.WorldAsync();
        var shortLived = await api.RequestAsync(world, new { agent_id = world.Agent, retention_minutes = 1 });
        var longLived = await api.RequestAsync(world, new { agent_id = world.Agent, retention_minutes = 2 });

        api.Clock.Advance(TimeSpan.FromSeconds(59));
        (await (await api.Admin().GetAsync(Pending(world.Agent))).ArrayAsync()).Ids().ShouldBe([shortLived.Id(), longLived.Id()]);

        api.Clock.Advance(TimeSpan.FromSeconds(1));
        (await (await api.Admin().GetAsync(Pending(world.Agent))).ArrayAsync()).Ids().ShouldBe([longLived.Id()]);
    }

    [Fact]
    public async Task Pending_is_for_admin_and_the_agent_itself_checked_before_any_lookup()
    {
        var world = await api.WorldAsync();

        await (await api.WithPak(world.OtherAgentPak).GetAsync(Pending(world.Agent))).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await (await api.WithPak(world.GeneratorPak).GetAsync(Pending(world.Agent))).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await (await api.WithPak(world.AgentPak).GetAsync(Pending(Guid.NewGuid()))).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await (await api.Anonymous().GetAsync(Pending(world.Agent))).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        (await (await api.Admin().GetAsync(Pending(Guid.NewGuid()))).ArrayAsync()).ShouldBeEmpty();
        (await api.Admin().GetAsync("/api/v1/agents/not-a-uuid/diagnostics/pending")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Get_answers_the_request_with_a_null_result_until_one_is_submitted()
    {
        var world = await api.WorldAsync();
        var request = await api.RequestAsync(world);

        var response = await (await api.WithPak(world.AgentPak).GetAsync(Get(request.Id()))).JsonAsync(HttpStatusCode.OK);

        response.ShouldHaveExactKeys("request", "result");
        response["result"].ShouldBeNull();
        response["request"]!.ToJsonString().ShouldBe(request.ToJsonString());
    }

    [Fact]
    public async Task Get_is_for_admin_and_the_requests_agent_after_the_existence_check()
    {
        var world = await api.WorldAsync();
        var request = (await api.RequestAsync(world)).Id();

        (await api.Admin().GetAsync(Get(request))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.WithPak(world.AgentPak).GetAsync(Get(request))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await api.WithPak(world.OtherAgentPak).GetAsync(Get(request))).ShouldFailAsync(HttpStatusCode.Forbidden, "diagnostic_not_owned");
        await (await api.WithPak(world.GeneratorPak).GetAsync(Get(request))).ShouldFailAsync(HttpStatusCode.Forbidden, "diagnostic_not_owned");
        await (await api.Anonymous().GetAsync(Get(request))).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await api.WithPak(world.OtherAgentPak).GetAsync(Get(Guid.NewGuid()))).ShouldFailAsync(HttpStatusCode.NotFound, "diagnostic_not_found");
        await (await api.Admin().GetAsync(Get(Guid.NewGuid()))).ShouldFailAsync(HttpStatusCode.NotFound, "diagnostic_not_found");
        (await api.Admin().GetAsync("/api/v1/diagnostics/not-a-uuid")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_agent_claims_a_pending_request_once()
    {
        var world = await api.WorldAsync();
        var request = await api.RequestAsync(world);
        api.Clock.Advance(TimeSpan.FromSeconds(3));

        var claimed = await api.ClaimAsync(world, request.Id());

        claimed.ShouldHaveExactKeys(DiagnosticsScenario.RequestKeys);
        claimed.Str("status").ShouldBe("claimed");
        claimed.Timestamp("claimed_at").ShouldBe(api.Now, TimeSpan.FromMilliseconds(1));
        claimed["completed_at"].ShouldBeNull();
        claimed.Str("expires_at").ShouldBe(request.Str("expires_at"));
        await (await api.WithPak(world.AgentPak).PostAsync(Claim(request.Id()), null)).ShouldFailAsync(HttpStatusCode.Conflict, "diagnostic_already_claimed");
        await (await api.Admin().PostAsync(Claim(request.Id()), null)).ShouldFailAsync(HttpStatusCode.Conflict, "diagnostic_already_claimed");
        (await (await api.Admin().GetAsync(Get(request.Id()))).JsonAsync(HttpStatusCode.OK))["request"]!.ToJsonString().ShouldBe(claimed.ToJsonString());
    }

    [Fact]
    public async Task Claim_is_for_admin_and_the_requests_agent_after_the_existence_check()
    {
        var world = await api.WorldAsync();
        var request = (await api.RequestAsync(world)).Id();

        await (await api.WithPak(world.OtherAgentPak).PostAsync(Claim(request), null)).ShouldFailAsync(HttpStatusCode.Forbidden, "diagnostic_not_owned");
        await (await api.WithPak(world.GeneratorPak).PostAsync(Claim(request), null)).ShouldFailAsync(HttpStatusCode.Forbidden, "diagnostic_not_owned");
        await (await api.Anonymous().PostAsync(Claim(request), null)).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await api.WithPak(world.OtherAgentPak).PostAsync(Claim(Guid.NewGuid()), null)).ShouldFailAsync(HttpStatusCode.NotFound, "diagnostic_not_found");
        (await (await api.Admin().PostAsync(Claim(request), null)).JsonAsync(HttpStatusCode.OK)).Str("status").ShouldBe("claimed");
    }

    [Fact]
    public async Task Of_two_concurrent_claims_exactly_one_wins()
    {
        var world = await api.WorldAsync();
        using var first = api.WithPak(world.AgentPak);
        using var second = api.WithPak(world.AgentPak);

        for (var round = 0; round < 10; round++)
        {
            var request = (await api.RequestAsync(world)).Id();

            var responses = await Task.WhenAll(first.PostAsync(Claim(request), null), second.PostAsync(Claim(request), null));

            responses.Select(r => (int)r.StatusCode).Order().ToArray().ShouldBe([200, 409], $"round {round}");
            await responses.Single(r => r.StatusCode == HttpStatusCode.Conflict).ShouldFailAsync(HttpStatusCode.Conflict, "diagnostic_already_claimed");
        }
    }

    [Fact]
    public async Task The_agent_submits_a_result_and_the_request_completes()
    {
        var world = await api.WorldAsync();
        var request = (await api.RequestAsync(world)).Id();
        await api.ClaimAsync(world, request);
        api.Clock.Advance(TimeSpan.FromSeconds(5));
        const string pods = """[{"name":"web-0","namespace":"default","phase":"Running","conditions":[],"containers":[]}]""";
        const string events = """[{"event_type":"Warning","reason":"BackOff","message":"x","count":3}]""";
        const string logs = """{"web-0/app":"line 1\nline 2"}""";

        var result = await (await api.WithPak(world.AgentPak).PostJsonAsync(Result(request),
                new { pod_statuses = pods, events, log_tails = logs, collected_at = "2025-01-02T04:04:05.120+01:00" }))
            .JsonAsync(HttpStatusCode.Created);

        result.ShouldHaveExactKeys(DiagnosticsScenario.ResultKeys);
        result.Id("request_id").ShouldBe(request);
        result.Str("pod_statuses").ShouldBe(pods);
        result.Str("events").ShouldBe(events);
        result.Str("log_tails").ShouldBe(logs);
        result.Str("collected_at").ShouldBe("2025-01-02T03:04:05.120Z");
        var fetched = await (await api.WithPak(world.AgentPak).GetAsync(Get(request))).JsonAsync(HttpStatusCode.OK);
        fetched["result"]!.ToJsonString().ShouldBe(result.ToJsonString());
        fetched["request"]!.Str("status").ShouldBe("completed");
        fetched["request"]!.Timestamp("completed_at").ShouldBe(api.Now, TimeSpan.FromMilliseconds(1));
        (await (await api.Admin().GetAsync(Pending(world.Agent))).ArrayAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Log_tails_are_optional()
    {
        var world = await api.WorldAsync();
        var request = (await api.RequestAsync(world)).Id();
        await api.ClaimAsync(world, request);

        var result = await (await api.WithPak(world.AgentPak).PostJsonAsync(Result(request), new { pod_statuses = "[]", events = "[]", collected_at = "2025-01-02T03:04:05Z" }))
            .JsonAsync(HttpStatusCode.Created);

        result["log_tails"].ShouldBeNull();
    }

    [Fact]
    public async Task Only_the_requests_agent_may_submit_a_result_not_even_admin()
    {
        var world = await api.WorldAsync();
        var request = (await api.RequestAsync(world)).Id();
        await api.ClaimAsync(world, request);
        var body = DiagnosticsScenario.Result();

        await (await api.Admin().PostJsonAsync(Result(request), body)).ShouldFailAsync(HttpStatusCode.Forbidden, "diagnostic_not_owned");
        await (await api.WithPak(world.OtherAgentPak).PostJsonAsync(Result(request), body)).ShouldFailAsync(HttpStatusCode.Forbidden, "diagnostic_not_owned");
        await (await api.WithPak(world.GeneratorPak).PostJsonAsync(Result(request), body)).ShouldFailAsync(HttpStatusCode.Forbidden, "diagnostic_not_owned");
        await (await api.Anonymous().PostJsonAsync(Result(request), body)).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await api.Admin().PostJsonAsync(Result(Guid.NewGuid()), body)).ShouldFailAsync(HttpStatusCode.NotFound, "diagnostic_not_found");
        (await (await api.Admin().GetAsync(Get(request))).JsonAsync(HttpStatusCode.OK))["request"]!.Str("status").ShouldBe("claimed");
    }

    [Fact]
    public async Task A_result_needs_a_claimed_request_and_that_is_checked_before_the_documents()
    {
        var world = await api.WorldAsync();
        var request = (await api.RequestAsync(world)).Id();
        var agent = api.WithPak(world.AgentPak);

        await (await agent.PostJsonAsync(Result(request), DiagnosticsScenario.Result())).ShouldFailAsync(HttpStatusCode.Conflict, "diagnostic_not_claimed");
        await (await agent.PostJsonAsync(Result(request), DiagnosticsScenario.Result(podStatuses: ""))).ShouldFailAsync(HttpStatusCode.Conflict, "diagnostic_not_claimed");

        await api.ClaimAsync(world, request);
        (await agent.PostJsonAsync(Result(request), DiagnosticsScenario.Result())).StatusCode.ShouldBe(HttpStatusCode.Created);
        await (await agent.PostJsonAsync(Result(request), DiagnosticsScenario.Result())).ShouldFailAsync(HttpStatusCode.Conflict, "diagnostic_not_claimed");
        (await api.ScalarAsync<long>("SELECT count(*) FROM diagnostic_results WHERE request_id = @id", ("id", request))).ShouldBe(1);
    }

    [Theory]
    [InlineData("", "[]", null)]
    [InlineData("[]", "", null)]
    [InlineData("[]", "[]", "")]
    [InlineData("  ", "[]", null)]
    [InlineData("not json", "[]", null)]
    [InlineData("[]", "{\"unterminated\":", null)]
    [InlineData("[]", "[]", "{'single': 'quotes'}")]
    public async Task Empty_or_non_json_documents_are_refused_and_leave_the_request_claimed(string pods, string events, string? logs)
    {
        var world = await api.WorldAsync();
        var request = (await api.RequestAsync(world)).Id();
        await api.ClaimAsync(world, request);

        await (await api.WithPak(world.AgentPak).PostJsonAsync(Result(request), DiagnosticsScenario.Result(pods, events, logs)))
            .ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_diagnostic_result");

        (await (await api.Admin().GetAsync(Get(request))).JsonAsync(HttpStatusCode.OK))["request"]!.Str("status").ShouldBe("claimed");
    }

    [Fact]
    public async Task Result_bodies_are_extracted_before_anything_else()
    {
        var world = await api.WorldAsync();
        var agent = api.WithPak(world.OtherAgentPak);
        var unknown = Result(Guid.NewGuid());

        await (await agent.PostJsonAsync(unknown, "{")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
        await (await agent.PostJsonAsync(unknown, new { pod_statuses = "[]", events = "[]" })).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await (await agent.PostJsonAsync(unknown, new { pod_statuses = new[] { 1 }, events = "[]", collected_at = "2025-01-02T03:04:05Z" }))
            .ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await (await agent.PostJsonAsync(unknown, new { pod_statuses = "[]", events = "[]", collected_at = "2025-01-02T03:04:05" }))
            .ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await (await agent.SendTextAsync(HttpMethod.Post, unknown, "{}", "text/plain")).ShouldFailAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }
}
