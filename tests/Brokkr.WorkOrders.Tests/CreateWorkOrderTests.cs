namespace Brokkr.WorkOrders.Tests;

public sealed class CreateWorkOrderTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private const string Url = "/api/v1/work-orders";
    private readonly Scenario _given = new(api);
    private readonly HttpClient _admin = api.Admin();

    [Fact]
    public async Task Given_an_agent_target_then_a_pending_order_with_the_reference_defaults_is_created_and_audited()
    {
        var agent = await _given.AgentAsync();

        var order = await _admin.CreateAsync(new { work_type = "build", yaml_content = WorkOrders.Yaml, targeting = new { agent_ids = new[] { agent.Id } } });

        order.ShouldHaveKeys(Keys.WorkOrder);
        order.Str("work_type").ShouldBe("build");
        order.Str("yaml_content").ShouldBe(WorkOrders.Yaml);
        order.Str("status").ShouldBe("PENDING");
        order.Int("max_retries").ShouldBe(3);
        order.Int("backoff_seconds").ShouldBe(60);
        order.Int("claim_timeout_seconds").ShouldBe(3600);
        order.Int("retry_count").ShouldBe(0);
        foreach (var key in new[] { "claimed_by", "claimed_at", "next_retry_after", "last_error", "last_error_at" })
        {
            order[key].ShouldBeNull(key);
        }

        order.Str("created_at").ShouldEndWith("Z");
        var audit = (await api.AuditAsync("workorder.created", order.Id())).ShouldHaveSingleItem();
        audit.ActorType.ShouldBe("admin");
        audit.ActorId.ShouldBeNull();
        audit.Details!.ToJsonString().ShouldBe("""{"work_type":"build"}""");
    }

    [Fact]
    public async Task Given_retry_settings_then_they_are_stored()
    {
        var agent = await _given.AgentAsync();

        var order = await _admin.CreateAsync(new
        {
            work_type = "custom",
            yaml_content = WorkOrders.Yaml,
            max_retries = 0,
            backoff_seconds = 5,
            claim_timeout_seconds = 30,
            target_agent_ids = new[] { agent.Id },
        });

        order.Int("max_retries").ShouldBe(0);
        order.Int("backoff_seconds").ShouldBe(5);
        order.Int("claim_timeout_seconds").ShouldBe(30);
    }

    [Fact]
    public async Task Given_legacy_target_agent_ids_then_they_are_merged_with_targeting_agent_ids_once_each()
    {
        var a = await _given.AgentAsync();
        var b = await _given.AgentAsync();

        var order = await _admin.CreateAsync(new
        {
            work_type = "build",
            yaml_content = WorkOrders.Yaml,
            targeting = new { agent_ids = new[] { a.Id, a.Id } },
            target_agent_ids = new[] { b.Id, a.Id },
        });

        (await api.CountAsync("SELECT count(*) FROM work_order_targets WHERE work_order_id = $1", order.Id())).ShouldBe(2);
        (await api.WithPak(a.Pak).PendingAsync(a.Id)).ShouldContain(order.Id());
        (await api.WithPak(b.Pak).PendingAsync(b.Id)).ShouldContain(order.Id());
    }

    [Fact]
    public async Task Given_labels_and_annotations_then_each_is_stored_once()
    {
        var order = await _admin.CreateAsync(new
        {
            work_type = "build",
            yaml_content = WorkOrders.Yaml,
            targeting = new { labels = new[] { "gpu", "gpu", "arm64" }, annotations = new Dictionary<string, string> { ["zone"] = "eu-1", ["tier"] = "web" } },
        });

        (await api.CountAsync("SELECT count(*) FROM work_order_labels WHERE work_order_id = $1", order.Id())).ShouldBe(2);
        (await api.CountAsync("SELECT count(*) FROM work_order_annotations WHERE work_order_id = $1", order.Id())).ShouldBe(2);
    }

    [Theory]
    [InlineData("""{"work_type":"build","yaml_content":"x: 1"}""")]
    [InlineData("""{"work_type":"build","yaml_content":"x: 1","targeting":{}}""")]
    [InlineData("""{"work_type":"build","yaml_content":"x: 1","targeting":{"agent_ids":[],"labels":[],"annotations":{}},"target_agent_ids":[]}""")]
    [InlineData("""{"work_type":"build","yaml_content":"x: 1","targeting":null,"target_agent_ids":null}""")]
    [InlineData("""{"work_type":" ","yaml_content":"","max_retries":-1}""")]
    public async Task Given_no_targeting_then_400_no_targeting_specified_before_other_checks(string body)
    {
        var before = await api.CountAsync("SELECT count(*) FROM work_orders");

        await _admin.PostJsonAsync(Url, body).ShouldFailAsync(HttpStatusCode.BadRequest, "no_targeting_specified");

        (await api.CountAsync("SELECT count(*) FROM work_orders")).ShouldBe(before);
    }

    [Theory]
    [InlineData("""{"work_type":"","yaml_content":"x: 1","targeting":{"labels":["a"]}}""")]
    [InlineData("""{"work_type":"  ","yaml_content":"x: 1","targeting":{"labels":["a"]}}""")]
    [InlineData("""{"work_type":"build","yaml_content":"","targeting":{"labels":["a"]}}""")]
    [InlineData("""{"work_type":"build","yaml_content":" \n ","targeting":{"labels":["a"]}}""")]
    [InlineData("""{"work_type":"build","yaml_content":"x: 1","max_retries":-1,"targeting":{"labels":["a"]}}""")]
    [InlineData("""{"work_type":"build","yaml_content":"x: 1","backoff_seconds":0,"targeting":{"labels":["a"]}}""")]
    [InlineData("""{"work_type":"build","yaml_content":"x: 1","backoff_seconds":-5,"targeting":{"labels":["a"]}}""")]
    [InlineData("""{"work_type":"build","yaml_content":"x: 1","claim_timeout_seconds":0,"targeting":{"labels":["a"]}}""")]
    [InlineData("""{"work_type":"123456789012345678901234567890123456789012345678901","yaml_content":"x: 1","targeting":{"labels":["a"]}}""")]
    [InlineData("""{"work_type":"bu\u0000ild","yaml_content":"x: 1","targeting":{"labels":["a"]}}""")]
    [InlineData("""{"work_type":"build","yaml_content":"x: \u0000","targeting":{"labels":["a"]}}""")]
    [InlineData("""{"work_type":"build","yaml_content":"x: 1","targeting":{"labels":[""]}}""")]
    [InlineData("""{"work_type":"build","yaml_content":"x: 1","targeting":{"labels":["has space"]}}""")]
    [InlineData("""{"work_type":"build","yaml_content":"x: 1","targeting":{"labels":["tab\there"]}}""")]
    [InlineData("""{"work_type":"build","yaml_content":"x: 1","targeting":{"labels":["a",null]}}""")]
    [InlineData("""{"work_type":"build","yaml_content":"x: 1","targeting":{"labels":["12345678901234567890123456789012345678901234567890123456789012345"]}}""")]
    [InlineData("""{"work_type":"build","yaml_content":"x: 1","targeting":{"annotations":{"":"v"}}}""")]
    [InlineData("""{"work_type":"build","yaml_content":"x: 1","targeting":{"annotations":{"k":""}}}""")]
    [InlineData("""{"work_type":"build","yaml_content":"x: 1","targeting":{"annotations":{"k":"two words"}}}""")]
    [InlineData("""{"work_type":"build","yaml_content":"x: 1","targeting":{"annotations":{"k y":"v"}}}""")]
    [InlineData("""{"work_type":"build","yaml_content":"x: 1","targeting":{"annotations":{"k":"12345678901234567890123456789012345678901234567890123456789012345"}}}""")]
    [InlineData("""{"work_type":"build","yaml_content":"x: 1","targeting":{"annotations":{"k":null}}}""")]
    public async Task Given_an_invalid_order_or_target_then_400_invalid_work_order_and_nothing_is_created(string body)
    {
        var before = await api.CountAsync("SELECT count(*) FROM work_orders");

        await _admin.PostJsonAsync(Url, body).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_work_order");

        (await api.CountAsync("SELECT count(*) FROM work_orders")).ShouldBe(before);
    }

    [Fact]
    public async Task Given_the_longest_work_type_label_and_annotation_then_the_order_is_created()
    {
        var longest = new string('x', 64);

        var order = await _admin.CreateAsync(new
        {
            work_type = new string('w', 50),
            yaml_content = WorkOrders.Yaml,
            targeting = new { labels = new[] { longest, "ünïcödé-" + new string('é', 56) }, annotations = new Dictionary<string, string> { [longest] = longest } },
        });

        order.Str("work_type").Length.ShouldBe(50);
    }

    [Fact]
    public async Task Given_an_unknown_agent_among_the_targets_then_422_and_nothing_is_left_behind()
    {
        var agent = await _given.AgentAsync();
        var counts = await CountsAsync();

        var error = await _admin.PostJsonAsync(Url, new
        {
            work_type = "build-unknown-agent",
            yaml_content = WorkOrders.Yaml,
            targeting = new { agent_ids = new[] { agent.Id, Guid.NewGuid() }, labels = new[] { "gpu" }, annotations = new Dictionary<string, string> { ["zone"] = "a" } },
        }).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "foreign_key_violation");

        error["details"]!.Str("constraint").ShouldBe("work_order_targets_agent_id_fkey");
        (await CountsAsync()).ShouldBe(counts);
        (await api.CountAsync("SELECT count(*) FROM work_orders WHERE work_type = 'build-unknown-agent'")).ShouldBe(0);
    }

    [Fact]
    public async Task Given_a_legacy_unknown_agent_then_422_and_no_audit_entry()
    {
        var counts = await CountsAsync();

        await _admin.PostJsonAsync(Url, new { work_type = "build", yaml_content = WorkOrders.Yaml, target_agent_ids = new[] { Guid.NewGuid() } })
            .ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "foreign_key_violation");

        (await CountsAsync()).ShouldBe(counts);
    }

    [Fact]
    public async Task Given_a_deleted_agent_then_422_as_for_an_unknown_one()
    {
        var agent = await _given.AgentAsync();
        await _admin.DeleteAsync($"/api/v1/agents/{agent.Id}").ShouldBeAsync(HttpStatusCode.NoContent);

        await _admin.PostJsonAsync(Url, new { work_type = "build", yaml_content = WorkOrders.Yaml, targeting = new { agent_ids = new[] { agent.Id } } })
            .ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "foreign_key_violation");
    }

    [Fact]
    public async Task Given_sql_looking_strings_then_they_are_stored_and_returned_verbatim()
    {
        const string workType = "x'); DROP TABLE work_orders; --";
        const string yaml = "name: \"'; DELETE FROM work_order_log WHERE ''='\"\n";
        const string label = "l';DROP--";
        var agent = await _given.AgentAsync();
        await _given.AgentLabelAsync(agent.Id, label);

        var created = await _admin.CreateAsync(new { work_type = workType, yaml_content = yaml, targeting = new { labels = new[] { label } } });

        var read = await _admin.GetAsync($"{Url}/{created.Id()}").JsonAsync(HttpStatusCode.OK);
        read.Str("work_type").ShouldBe(workType);
        read.Str("yaml_content").ShouldBe(yaml);
        (await api.WithPak(agent.Pak).PendingAsync(agent.Id)).ShouldContain(created.Id());
    }

    [Fact]
    public async Task Given_a_large_yaml_body_under_the_limit_then_it_is_stored_byte_for_byte()
    {
        var agent = await _given.AgentAsync();
        var yaml = "data: " + new string('a', 1024 * 1024) + "\n";

        var order = await _admin.CreateAsync(new { work_type = "build", yaml_content = yaml, target_agent_ids = new[] { agent.Id } });

        (await _admin.GetAsync($"{Url}/{order.Id()}").JsonAsync(HttpStatusCode.OK)).Str("yaml_content").ShouldBe(yaml);
    }

    [Fact]
    public async Task Given_a_body_over_2_mib_then_413()
    {
        var body = $$$"""{"work_type":"build","yaml_content":"{{{new string('a', 2 * 1024 * 1024 + 10)}}}","targeting":{"labels":["a"]}}""";

        await _admin.PostJsonAsync(Url, body).ShouldFailAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Theory]
    [InlineData("{not json", HttpStatusCode.BadRequest, "invalid_json")]
    [InlineData("", HttpStatusCode.BadRequest, "invalid_json")]
    [InlineData("null", HttpStatusCode.UnprocessableEntity, "invalid_request_body")]
    [InlineData("""{"yaml_content":"x: 1","targeting":{"labels":["a"]}}""", HttpStatusCode.UnprocessableEntity, "invalid_request_body")]
    [InlineData("""{"work_type":null,"yaml_content":"x: 1","targeting":{"labels":["a"]}}""", HttpStatusCode.UnprocessableEntity, "invalid_request_body")]
    [InlineData("""{"work_type":5,"yaml_content":"x: 1","targeting":{"labels":["a"]}}""", HttpStatusCode.UnprocessableEntity, "invalid_request_body")]
    [InlineData("""{"work_type":"b","yaml_content":"x: 1","max_retries":"3","targeting":{"labels":["a"]}}""", HttpStatusCode.UnprocessableEntity, "invalid_request_body")]
    [InlineData("""{"work_type":"b","yaml_content":"x: 1","max_retries":1.5,"targeting":{"labels":["a"]}}""", HttpStatusCode.UnprocessableEntity, "invalid_request_body")]
    [InlineData("""{"work_type":"b","yaml_content":"x: 1","max_retries":99999999999,"targeting":{"labels":["a"]}}""", HttpStatusCode.UnprocessableEntity, "invalid_request_body")]
    [InlineData("""{"work_type":"b","yaml_content":"x: 1","targeting":{"labels":"a"}}""", HttpStatusCode.UnprocessableEntity, "invalid_request_body")]
    [InlineData("""{"work_type":"b","yaml_content":"x: 1","targeting":{"agent_ids":["not-a-uuid"]}}""", HttpStatusCode.UnprocessableEntity, "invalid_request_body")]
    [InlineData("""{"work_type":"b","yaml_content":"x: 1","targeting":{"annotations":["a"]}}""", HttpStatusCode.UnprocessableEntity, "invalid_request_body")]
    [InlineData("""{"work_type":"b","yaml_content":"x: 1","targeting":{"annotations":{"k":1}}}""", HttpStatusCode.UnprocessableEntity, "invalid_request_body")]
    [InlineData("""{"work_type":"b","yaml_content":"x: 1","target_agent_ids":"x"}""", HttpStatusCode.UnprocessableEntity, "invalid_request_body")]
    [InlineData("""{"work_type":"b","yaml_content":"x: 1","targeting":{"labels":["\ud800"]}}""", HttpStatusCode.UnprocessableEntity, "invalid_request_body")]
    public async Task Given_a_body_that_does_not_parse_then_400_or_422_with_the_envelope(string body, HttpStatusCode status, string code)
    {
        await _admin.PostJsonAsync(Url, body).ShouldFailAsync(status, code);
    }

    [Fact]
    public async Task Given_a_non_json_content_type_then_415()
    {
        await _admin.SendRawAsync(HttpMethod.Post, Url, """{"work_type":"b","yaml_content":"x","targeting":{"labels":["a"]}}""", "text/plain")
            .ShouldFailAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task Given_an_agent_pak_then_the_body_is_parsed_before_the_caller_is_refused()
    {
        var agent = await _given.AgentAsync();
        var client = api.WithPak(agent.Pak);

        await client.PostJsonAsync(Url, "{not json").ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
        await client.PostJsonAsync(Url, """{"work_type":"b","yaml_content":"x"}""").ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
    }

    private async Task<(long Orders, long Targets, long Labels, long Annotations, long Audit)> CountsAsync()
        => (await api.CountAsync("SELECT count(*) FROM work_orders"),
            await api.CountAsync("SELECT count(*) FROM work_order_targets"),
            await api.CountAsync("SELECT count(*) FROM work_order_labels"),
            await api.CountAsync("SELECT count(*) FROM work_order_annotations"),
            await api.CountAsync("SELECT count(*) FROM audit_logs WHERE action = 'workorder.created'"));
}
