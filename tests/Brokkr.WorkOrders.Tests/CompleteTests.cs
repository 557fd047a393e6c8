namespace Brokkr.WorkOrders.Tests;

public sealed class CompleteTests(ClockedApiFactory api) : IClassFixture<ClockedApiFactory>
{
    private readonly Scenario _given = new(api);
    private readonly HttpClient _admin = api.Admin();

    private async Task<(Guid Order, Guid Agent, HttpClient Client)> ClaimedAsync(int? maxRetries = null, int? backoffSeconds = null)
    {
        var agent = await _given.AgentAsync();
        var client = api.WithPak(agent.Pak);
        var id = await _admin.OrderForAsync([agent.Id], maxRetries: maxRetries, backoffSeconds: backoffSeconds);
        await client.ClaimAsync(id, agent.Id).ShouldBeAsync(HttpStatusCode.OK);
        return (id, agent.Id, client);
    }

    [Fact]
    public async Task Given_success_then_the_order_moves_to_the_log_under_its_id()
    {
        var (id, agentId, client) = await ClaimedAsync();
        var claimedAt = api.Now;
        api.Clock.Advance(TimeSpan.FromSeconds(30));

        var log = await client.CompleteAsync(id, new { success = true, message = "sha256:abc" }).JsonAsync(HttpStatusCode.OK);

        log.ShouldHaveKeys(Keys.WorkOrderLog);
        log.Id().ShouldBe(id);
        log.Str("work_type").ShouldBe("build");
        log.Str("yaml_content").ShouldBe(WorkOrders.Yaml);
        log["success"]!.GetValue<bool>().ShouldBeTrue();
        log.Str("result_message").ShouldBe("sha256:abc");
        log.Int("retries_attempted").ShouldBe(0);
        log.Id("claimed_by").ShouldBe(agentId);
        log.Time("claimed_at").ShouldBe(claimedAt);
        log.Time("completed_at").ShouldBe(api.Now);
        (await api.CountAsync("SELECT count(*) FROM work_orders WHERE id = $1", id)).ShouldBe(0);
        (await _admin.GetAsync($"/api/v1/work-order-log/{id}").JsonAsync(HttpStatusCode.OK)).ToJsonString().ShouldBe(log.ToJsonString());
        var audit = (await api.AuditAsync("workorder.completed", id)).ShouldHaveSingleItem();
        (audit.ActorType, audit.ActorId).ShouldBe(("agent", (Guid?)agentId));
    }

    [Fact]
    public async Task Given_a_finished_order_then_get_rebuilds_it_from_the_log_as_completed()
    {
        var (id, agentId, client) = await ClaimedAsync();
        var log = await client.CompleteAsync(id, new { success = true }).JsonAsync(HttpStatusCode.OK);
        log["result_message"].ShouldBeNull();

        var order = await _admin.GetAsync($"/api/v1/work-orders/{id}").JsonAsync(HttpStatusCode.OK);

        order.ShouldHaveKeys(Keys.WorkOrder);
        order.Str("status").ShouldBe("COMPLETED");
        order.Str("created_at").ShouldBe(log.Str("created_at"));
        order.Str("updated_at").ShouldBe(log.Str("completed_at"));
        order.Str("claimed_at").ShouldBe(log.Str("claimed_at"));
        order.Id("claimed_by").ShouldBe(agentId);
        order.Str("yaml_content").ShouldBe(WorkOrders.Yaml);
        (order.Int("max_retries"), order.Int("backoff_seconds"), order.Int("claim_timeout_seconds"), order.Int("retry_count")).ShouldBe((0, 0, 0, 0));
        order["next_retry_after"].ShouldBeNull();
        order["last_error"].ShouldBeNull();
        order["last_error_at"].ShouldBeNull();
    }

    [Fact]
    public async Task Given_a_non_retryable_failure_then_the_order_is_logged_as_failed_and_get_shows_failed()
    {
        var (id, agentId, client) = await ClaimedAsync();

        var log = await client.CompleteAsync(id, new { success = false, message = "image not found", retryable = false }).JsonAsync(HttpStatusCode.OK);

        log["success"]!.GetValue<bool>().ShouldBeFalse();
        log.Str("result_message").ShouldBe("image not found");
        var order = await _admin.GetAsync($"/api/v1/work-orders/{id}").JsonAsync(HttpStatusCode.OK);
        order.Str("status").ShouldBe("FAILED");
        order.Str("last_error").ShouldBe("image not found");
        order.Str("last_error_at").ShouldBe(log.Str("completed_at"));
        var audit = (await api.AuditAsync("workorder.failed", id)).ShouldHaveSingleItem();
        (audit.ActorType, audit.ActorId).ShouldBe(("agent", (Guid?)agentId));
        audit.Details!.ToJsonString().ShouldBe("""{"retryable":false}""");
    }

    [Fact]
    public async Task Given_a_failure_without_a_message_then_unknown_error_is_logged()
    {
        var (id, _, client) = await ClaimedAsync();

        var log = await client.CompleteAsync(id, new { success = false, retryable = false }).JsonAsync(HttpStatusCode.OK);

        log.Str("result_message").ShouldBe("Unknown error");
        (await _admin.GetAsync($"/api/v1/work-orders/{id}").JsonAsync(HttpStatusCode.OK)).Str("last_error").ShouldBe("Unknown error");
    }

    [Fact]
    public async Task Given_a_retryable_failure_then_202_and_the_order_waits_backoff_times_two_to_the_retry_count()
    {
        var (id, _, client) = await ClaimedAsync(backoffSeconds: 60);

        var response = await client.CompleteAsync(id, new { success = false, message = "registry unavailable" });

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await response.Content.ReadAsStringAsync()).ShouldBe("""{"status":"retry_scheduled"}""");
        var order = await _admin.GetAsync($"/api/v1/work-orders/{id}").JsonAsync(HttpStatusCode.OK);
        order.Str("status").ShouldBe("RETRY_PENDING");
        order.Int("retry_count").ShouldBe(1);
        order["claimed_by"].ShouldBeNull();
        order["claimed_at"].ShouldBeNull();
        order.Str("last_error").ShouldBe("registry unavailable");
        order.Time("last_error_at").ShouldBe(api.Now);
        order.Time("next_retry_after").ShouldBe(api.Now.AddSeconds(120));
        var audit = (await api.AuditAsync("workorder.retry", id)).ShouldHaveSingleItem();
        audit.ActorType.ShouldBe("agent");
        (await api.AuditAsync("workorder.failed", id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_no_retries_left_then_a_retryable_failure_is_final()
    {
        var (id, _, client) = await ClaimedAsync(maxRetries: 0);

        var log = await client.CompleteAsync(id, new { success = false, message = "boom", retryable = true }).JsonAsync(HttpStatusCode.OK);

        log["success"]!.GetValue<bool>().ShouldBeFalse();
        log.Int("retries_attempted").ShouldBe(0);
        (await api.AuditAsync("workorder.failed", id)).ShouldHaveSingleItem().Details!.ToJsonString().ShouldBe("""{"retryable":true}""");
    }

    [Fact]
    public async Task Given_retries_used_up_over_attempts_then_the_last_failure_is_logged_with_the_retries_attempted()
    {
        var (id, agentId, client) = await ClaimedAsync(maxRetries: 1, backoffSeconds: 1);

        await client.CompleteAsync(id, new { success = false, message = "first" }).ShouldBeAsync(HttpStatusCode.Accepted);
        api.Clock.Advance(TimeSpan.FromSeconds(2));
        (await api.MaintainAsync()).RetriesDue.ShouldContain(id);
        await client.ClaimAsync(id, agentId).ShouldBeAsync(HttpStatusCode.OK);
        var log = await client.CompleteAsync(id, new { success = false, message = "second" }).JsonAsync(HttpStatusCode.OK);

        log["success"]!.GetValue<bool>().ShouldBeFalse();
        log.Str("result_message").ShouldBe("second");
        log.Int("retries_attempted").ShouldBe(1);
        (await _admin.GetAsync($"/api/v1/work-orders/{id}").JsonAsync(HttpStatusCode.OK)).Int("retry_count").ShouldBe(1);
    }

    [Fact]
    public async Task Given_admin_then_it_completes_even_a_pending_order_and_is_recorded_as_admin()
    {
        var agent = await _given.AgentAsync();
        var id = await _admin.OrderForAsync([agent.Id]);

        var log = await _admin.CompleteAsync(id, new { success = true, message = "done by hand" }).JsonAsync(HttpStatusCode.OK);

        log["claimed_by"].ShouldBeNull();
        log["claimed_at"].ShouldBeNull();
        var audit = (await api.AuditAsync("workorder.completed", id)).ShouldHaveSingleItem();
        (audit.ActorType, audit.ActorId).ShouldBe(("admin", (Guid?)null));
    }

    [Fact]
    public async Task Given_an_unknown_or_finished_order_then_404_before_the_claimant_check()
    {
        var (id, _, client) = await ClaimedAsync();
        var stranger = api.WithPak((await _given.AgentAsync()).Pak);
        var generator = api.WithPak((await _given.GeneratorAsync()).Pak);

        await stranger.CompleteAsync(Guid.NewGuid(), new { success = true }).ShouldFailAsync(HttpStatusCode.NotFound, "work_order_not_found");
        await generator.CompleteAsync(Guid.NewGuid(), new { success = true }).ShouldFailAsync(HttpStatusCode.NotFound, "work_order_not_found");
        await client.CompleteAsync(id, new { success = true }).ShouldBeAsync(HttpStatusCode.OK);
        await client.CompleteAsync(id, new { success = true }).ShouldFailAsync(HttpStatusCode.NotFound, "work_order_not_found");
        await _admin.CompleteAsync(id, new { success = true }).ShouldFailAsync(HttpStatusCode.NotFound, "work_order_not_found");
    }

    [Fact]
    public async Task Given_a_caller_other_than_the_claimant_then_403_and_nothing_changes()
    {
        var (id, _, _) = await ClaimedAsync();
        var stranger = api.WithPak((await _given.AgentAsync()).Pak);
        var generator = api.WithPak((await _given.GeneratorAsync()).Pak);

        await stranger.CompleteAsync(id, new { success = true }).ShouldFailAsync(HttpStatusCode.Forbidden, "work_order_not_claimed_by_agent");
        await generator.CompleteAsync(id, new { success = true }).ShouldFailAsync(HttpStatusCode.Forbidden, "work_order_not_claimed_by_agent");
        await api.Anonymous().CompleteAsync(id, new { success = true }).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");

        (await _admin.GetAsync($"/api/v1/work-orders/{id}").JsonAsync(HttpStatusCode.OK)).Str("status").ShouldBe("CLAIMED");
    }

    [Fact]
    public async Task Given_a_targeted_agent_that_has_not_claimed_the_order_then_403()
    {
        var agent = await _given.AgentAsync();
        var id = await _admin.OrderForAsync([agent.Id]);

        await api.WithPak(agent.Pak).CompleteAsync(id, new { success = true }).ShouldFailAsync(HttpStatusCode.Forbidden, "work_order_not_claimed_by_agent");
    }

    [Fact]
    public async Task Given_concurrent_successful_completions_then_exactly_one_logs_the_order()
    {
        for (var round = 0; round < 10; round++)
        {
            var (id, _, client) = await ClaimedAsync();
            var again = api.WithPak(client.DefaultRequestHeaders.Authorization!.Parameter!);

            var responses = await Task.WhenAll(client.CompleteAsync(id, new { success = true }), again.CompleteAsync(id, new { success = true }), _admin.CompleteAsync(id, new { success = true }));

            var statuses = responses.Select(r => r.StatusCode).ToList();
            statuses.Count(s => s == HttpStatusCode.OK).ShouldBe(1, string.Join(",", statuses));
            statuses.Count(s => s == HttpStatusCode.NotFound).ShouldBe(2, string.Join(",", statuses));
            (await api.CountAsync("SELECT count(*) FROM work_order_log WHERE id = $1", id)).ShouldBe(1);
            (await api.AuditAsync("workorder.completed", id)).Count.ShouldBe(1);
        }
    }

    [Fact]
    public async Task Given_concurrent_retryable_failures_then_exactly_one_schedules_the_retry()
    {
        for (var round = 0; round < 10; round++)
        {
            var (id, _, client) = await ClaimedAsync(maxRetries: 5);

            var responses = await Task.WhenAll(client.CompleteAsync(id, new { success = false }), client.CompleteAsync(id, new { success = false }));

            var statuses = responses.Select(r => r.StatusCode).OrderBy(s => (int)s).ToList();
            statuses.ShouldBe([HttpStatusCode.Accepted, HttpStatusCode.Forbidden]);
            (await _admin.GetAsync($"/api/v1/work-orders/{id}").JsonAsync(HttpStatusCode.OK)).Int("retry_count").ShouldBe(1);
        }
    }

    [Theory]
    [InlineData("{}", HttpStatusCode.UnprocessableEntity, "invalid_request_body")]
    [InlineData("""{"success":"true"}""", HttpStatusCode.UnprocessableEntity, "invalid_request_body")]
    [InlineData("""{"success":null}""", HttpStatusCode.UnprocessableEntity, "invalid_request_body")]
    [InlineData("""{"success":false,"retryable":null}""", HttpStatusCode.UnprocessableEntity, "invalid_request_body")]
    [InlineData("""{"success":false,"message":5}""", HttpStatusCode.UnprocessableEntity, "invalid_request_body")]
    [InlineData("{not json", HttpStatusCode.BadRequest, "invalid_json")]
    public async Task Given_a_completion_body_that_does_not_parse_then_it_fails_before_the_lookup(string body, HttpStatusCode status, string code)
    {
        await _admin.PostJsonAsync($"/api/v1/work-orders/{Guid.NewGuid()}/complete", body).ShouldFailAsync(status, code);
    }

    [Fact]
    public async Task Given_a_message_with_a_nul_character_then_400_and_the_order_stays_claimed()
    {
        var (id, _, client) = await ClaimedAsync();

        await client.CompleteAsync(id, """{"success":true,"message":"a\u0000b"}""").ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_work_order");

        (await _admin.GetAsync($"/api/v1/work-orders/{id}").JsonAsync(HttpStatusCode.OK)).Str("status").ShouldBe("CLAIMED");
    }

    [Fact]
    public async Task Given_sql_looking_messages_then_they_are_logged_verbatim()
    {
        var (id, _, client) = await ClaimedAsync();
        const string message = "'); DELETE FROM work_order_log; --";

        var log = await client.CompleteAsync(id, new { success = true, message }).JsonAsync(HttpStatusCode.OK);

        log.Str("result_message").ShouldBe(message);
        (await _admin.GetAsync($"/api/v1/work-order-log/{id}").JsonAsync(HttpStatusCode.OK)).Str("result_message").ShouldBe(message);
    }

    [Fact]
    public async Task Given_a_wrong_content_type_or_bad_uuid_then_415_or_400()
    {
        await _admin.SendRawAsync(HttpMethod.Post, $"/api/v1/work-orders/{Guid.NewGuid()}/complete", """{"success":true}""", "text/plain")
            .ShouldFailAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await _admin.CompleteAsync(Guid.Empty, new { success = true }).ShouldFailAsync(HttpStatusCode.NotFound, "work_order_not_found");
        await _admin.PostJsonAsync("/api/v1/work-orders/xyz/complete", new { success = true }).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_request");
    }
}
