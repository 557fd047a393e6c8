namespace Brokkr.WorkOrders.Tests;

public sealed class ReadAndDeleteTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);
    private readonly HttpClient _admin = api.Admin();

    private async Task<List<Guid>> ListAsync(string query = "")
        => (await _admin.GetAsync($"/api/v1/work-orders{query}").JsonAsync(HttpStatusCode.OK)).Ids();

    private async Task<List<Guid>> LogAsync(string query = "")
        => (await _admin.GetAsync($"/api/v1/work-order-log{query}").JsonAsync(HttpStatusCode.OK)).Ids();

    [Fact]
    public async Task Work_orders_are_listed_newest_first_and_filter_by_status_and_work_type_and_page()
    {
        var agent = await _given.AgentAsync();
        var workType = Scenario.Unique("list");
        var first = await _admin.OrderForAsync([agent.Id], workType);
        var second = await _admin.OrderForAsync([agent.Id], workType);
        var third = await _admin.OrderForAsync([agent.Id], workType);
        await api.WithPak(agent.Pak).ClaimAsync(second, agent.Id).ShouldBeAsync(HttpStatusCode.OK);

        (await ListAsync($"?work_type={workType}")).ShouldBe([third, second, first]);
        (await ListAsync($"?work_type={workType}&status=PENDING")).ShouldBe([third, first]);
        (await ListAsync($"?work_type={workType}&status=CLAIMED")).ShouldBe([second]);
        (await ListAsync($"?work_type={workType}&status=pending")).ShouldBeEmpty();
        (await ListAsync($"?work_type={workType}&limit=2")).ShouldBe([third, second]);
        (await ListAsync($"?work_type={workType}&limit=2&offset=2")).ShouldBe([first]);
        (await ListAsync()).ShouldContain(first);
        var item = (await _admin.GetAsync($"/api/v1/work-orders?work_type={workType}").JsonAsync(HttpStatusCode.OK)).AsArray()[0];
        item.ShouldHaveKeys(Keys.WorkOrder);
    }

    [Theory]
    [InlineData("/api/v1/work-orders?limit=0")]
    [InlineData("/api/v1/work-orders?limit=1001")]
    [InlineData("/api/v1/work-orders?offset=-1")]
    [InlineData("/api/v1/work-order-log?limit=0")]
    [InlineData("/api/v1/work-order-log?limit=1001")]
    [InlineData("/api/v1/work-order-log?limit=abc")]
    [InlineData("/api/v1/work-order-log?success=maybe")]
    [InlineData("/api/v1/work-order-log?agent_id=not-a-uuid")]
    public async Task Given_a_query_value_that_does_not_parse_then_400_invalid_query_parameter(string url)
    {
        await _admin.GetAsync(url).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");
    }

    [Fact]
    public async Task Given_a_query_parameter_problem_and_a_non_admin_then_the_parameter_is_checked_first()
    {
        var agent = await _given.AgentAsync();

        await api.WithPak(agent.Pak).GetAsync("/api/v1/work-order-log?limit=0").ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");
        await api.WithPak(agent.Pak).GetAsync("/api/v1/work-order-log").ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
    }

    [Fact]
    public async Task The_log_lists_most_recently_completed_first_with_filters()
    {
        var a = await _given.AgentAsync();
        var b = await _given.AgentAsync();
        var workType = Scenario.Unique("log");
        var ok = await _admin.OrderForAsync([a.Id], workType);
        var failed = await _admin.OrderForAsync([b.Id], workType);
        var other = await _admin.OrderForAsync([a.Id]);
        await api.WithPak(a.Pak).ClaimAsync(ok, a.Id).ShouldBeAsync(HttpStatusCode.OK);
        await api.WithPak(b.Pak).ClaimAsync(failed, b.Id).ShouldBeAsync(HttpStatusCode.OK);
        await api.WithPak(a.Pak).CompleteAsync(ok, new { success = true }).ShouldBeAsync(HttpStatusCode.OK);
        await api.WithPak(b.Pak).CompleteAsync(failed, new { success = false, retryable = false }).ShouldBeAsync(HttpStatusCode.OK);
        await _admin.CompleteAsync(other, new { success = true }).ShouldBeAsync(HttpStatusCode.OK);

        (await LogAsync($"?work_type={workType}")).ShouldBe([failed, ok]);
        (await LogAsync($"?work_type={workType}&success=true")).ShouldBe([ok]);
        (await LogAsync($"?work_type={workType}&success=false")).ShouldBe([failed]);
        (await LogAsync($"?agent_id={a.Id}")).ShouldBe([ok]);
        (await LogAsync($"?agent_id={b.Id:N}")).ShouldBe([failed]);
        (await LogAsync("?limit=1")).ShouldBe([other]);
        (await LogAsync("?limit=2&offset=1")).ShouldBe([failed, ok]);
        var all = await _admin.GetAsync("/api/v1/work-order-log").JsonAsync(HttpStatusCode.OK);
        all.AsArray()[0].ShouldHaveKeys(Keys.WorkOrderLog);
    }

    [Fact]
    public async Task Given_an_unknown_order_then_get_and_log_entry_are_404_with_their_codes()
    {
        var agent = await _given.AgentAsync();
        var active = await _admin.OrderForAsync([agent.Id]);

        await _admin.GetAsync($"/api/v1/work-orders/{Guid.NewGuid()}").ShouldFailAsync(HttpStatusCode.NotFound, "work_order_not_found");
        await _admin.GetAsync($"/api/v1/work-order-log/{Guid.NewGuid()}").ShouldFailAsync(HttpStatusCode.NotFound, "work_order_log_entry_not_found");
        await _admin.GetAsync($"/api/v1/work-order-log/{active}").ShouldFailAsync(HttpStatusCode.NotFound, "work_order_log_entry_not_found");
        await _admin.GetAsync("/api/v1/work-orders/not-a-uuid").ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_request");
        await _admin.GetAsync("/api/v1/work-order-log/not-a-uuid").ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Given_an_active_order_then_get_returns_it_in_any_uuid_form()
    {
        var agent = await _given.AgentAsync();
        var id = await _admin.OrderForAsync([agent.Id]);

        var order = await _admin.GetAsync($"/api/v1/work-orders/{{{id.ToString().ToUpperInvariant()}}}").JsonAsync(HttpStatusCode.OK);

        order.ShouldHaveKeys(Keys.WorkOrder);
        order.Id().ShouldBe(id);
        order.Str("status").ShouldBe("PENDING");
    }

    [Fact]
    public async Task Given_an_active_order_then_delete_removes_it_with_its_targeting_and_a_second_delete_is_404()
    {
        var agent = await _given.AgentAsync();
        var id = (await _admin.CreateAsync(new
        {
            work_type = "build",
            yaml_content = WorkOrders.Yaml,
            targeting = new { agent_ids = new[] { agent.Id }, labels = new[] { "x" }, annotations = new Dictionary<string, string> { ["k"] = "v" } },
        })).Id();

        await _admin.DeleteAsync($"/api/v1/work-orders/{id}").ShouldBeAsync(HttpStatusCode.NoContent);

        await _admin.GetAsync($"/api/v1/work-orders/{id}").ShouldFailAsync(HttpStatusCode.NotFound, "work_order_not_found");
        await _admin.DeleteAsync($"/api/v1/work-orders/{id}").ShouldFailAsync(HttpStatusCode.NotFound, "work_order_not_found");
        (await api.CountAsync(
            "SELECT (SELECT count(*) FROM work_order_targets WHERE work_order_id = $1) + (SELECT count(*) FROM work_order_labels WHERE work_order_id = $1) + (SELECT count(*) FROM work_order_annotations WHERE work_order_id = $1)",
            id)).ShouldBe(0);
        (await api.WithPak(agent.Pak).PendingAsync(agent.Id)).ShouldNotContain(id);
    }

    [Fact]
    public async Task Given_a_claimed_order_then_delete_cancels_it_and_the_claimant_can_no_longer_complete_it()
    {
        var agent = await _given.AgentAsync();
        var id = await _admin.OrderForAsync([agent.Id]);
        await api.WithPak(agent.Pak).ClaimAsync(id, agent.Id).ShouldBeAsync(HttpStatusCode.OK);

        await _admin.DeleteAsync($"/api/v1/work-orders/{id}").ShouldBeAsync(HttpStatusCode.NoContent);

        await api.WithPak(agent.Pak).CompleteAsync(id, new { success = true }).ShouldFailAsync(HttpStatusCode.NotFound, "work_order_not_found");
    }

    [Fact]
    public async Task Given_a_finished_order_then_delete_is_404_and_its_log_entry_stays()
    {
        var agent = await _given.AgentAsync();
        var id = await _admin.OrderForAsync([agent.Id]);
        await _admin.CompleteAsync(id, new { success = true }).ShouldBeAsync(HttpStatusCode.OK);

        await _admin.DeleteAsync($"/api/v1/work-orders/{id}").ShouldFailAsync(HttpStatusCode.NotFound, "work_order_not_found");
        await _admin.GetAsync($"/api/v1/work-order-log/{id}").ShouldBeAsync(HttpStatusCode.OK);
        await _admin.DeleteAsync("/api/v1/work-orders/not-a-uuid").ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_request");
    }
}
