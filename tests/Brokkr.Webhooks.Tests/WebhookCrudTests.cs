using Brokkr.Contracts.Webhooks;

namespace Brokkr.Webhooks.Tests;

/// <summary>Subscriptions over HTTP (behaviour §3.8, details §2.2 and §4.5): shapes, secrets never returned, codes and their order.</summary>
public sealed class WebhookCrudTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private const string Url = "https://hooks.example.test/brokkr?token=s3cret";

    private static string Valid(object? overrides = null)
    {
        var body = new JsonObject
        {
            ["name"] = Scenario.Unique("hook"),
            ["url"] = Url,
            ["event_types"] = new JsonArray("agent.*", "stack.created"),
        };
        if (overrides is not null)
        {
            foreach (var (key, value) in JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(overrides))!.AsObject())
            {
                body[key] = value?.DeepClone();
            }
        }

        return body.ToJsonString();
    }

    [Fact]
    public async Task Created_subscription_has_the_reference_shape_and_defaults_and_never_shows_its_secrets()
    {
        var response = await api.Admin().PostJsonAsync("/api/v1/webhooks", Valid(new { auth_header = "Bearer topsecret", signing_secret = "whsec" }));
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        var created = JsonNode.Parse(text)!;

        created.ShouldHaveExactKeys(Hooks.ResponseKeys);
        created["has_url"]!.GetValue<bool>().ShouldBeTrue();
        created["has_auth_header"]!.GetValue<bool>().ShouldBeTrue();
        created["has_signing_secret"]!.GetValue<bool>().ShouldBeTrue();
        created["enabled"]!.GetValue<bool>().ShouldBeTrue();
        created["max_retries"]!.GetValue<int>().ShouldBe(5);
        created["timeout_seconds"]!.GetValue<int>().ShouldBe(30);
        created.Str("created_by").ShouldBe("admin");
        created["filters"].ShouldBeNull();
        created["target_labels"].ShouldBeNull();
        created["event_types"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldBe(["agent.*", "stack.created"]);
        text.ShouldNotContain("hooks.example.test");
        text.ShouldNotContain("topsecret");
        text.ShouldNotContain("whsec");

        var id = created.Id();
        var fetched = await (await api.Admin().GetAsync($"/api/v1/webhooks/{id}")).Content.ReadAsStringAsync();
        fetched.ShouldNotContain("hooks.example.test");
        JsonNode.Parse(fetched)!.ToJsonString().ShouldBe(created.ToJsonString());
        var listed = await (await api.Admin().GetAsync("/api/v1/webhooks")).Content.ReadAsStringAsync();
        listed.ShouldNotContain("topsecret");
        JsonNode.Parse(listed)!.AsArray().Ids().ShouldContain(id);
    }

    [Fact]
    public async Task Filters_echo_only_the_keys_that_are_set_and_target_labels_are_kept()
    {
        var agent = Guid.NewGuid();
        var created = await api.CreateWebhookAsync(Valid(new { filters = new { agent_id = agent.ToString("N").ToUpperInvariant() }, target_labels = new[] { "env:prod" } }));

        created["filters"]!.ToJsonString().ShouldBe($$"""{"agent_id":"{{agent}}"}""");
        created["target_labels"]!.ToJsonString().ShouldBe("""["env:prod"]""");
        (await api.CreateWebhookAsync(Valid(new { filters = new { } })))["filters"]!.ToJsonString().ShouldBe("{}");
    }

    [Fact]
    public async Task List_is_newest_first()
    {
        var first = (await api.CreateWebhookAsync(Valid())).Id();
        var second = (await api.CreateWebhookAsync(Valid())).Id();

        var ids = (await (await api.Admin().GetAsync("/api/v1/webhooks")).ArrayAsync()).Ids().ToList();

        ids.IndexOf(second).ShouldBeLessThan(ids.IndexOf(first));
    }

    [Fact]
    public async Task Event_types_are_the_reference_twelve()
    {
        var types = await (await api.Admin().GetAsync("/api/v1/webhooks/event-types")).ArrayAsync();

        types.Select(t => t!.GetValue<string>()).ShouldBe(WebhookEventTypes.All);
        types.Count.ShouldBe(12);
    }

    [Theory]
    [InlineData("""{"validate":null}""", "validate", "POST /webhooks/{id}/test")]
    [InlineData("""{"validate":true}""", "validate", "POST /webhooks/{id}/test")]
    [InlineData("""{"filters":{"labels":["a"]}}""", "filters.labels", "target_labels")]
    public async Task Removed_fields_are_refused_on_the_raw_body_before_its_shape(string extra, string field, string useInstead)
    {
        // No name or url either: the removed field is reported before the missing ones.
        var error = await (await api.Admin().PostJsonAsync("/api/v1/webhooks", extra)).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "unsupported_field");

        error["details"]!.Str("field").ShouldBe(field);
        error["details"]!.Str("use_instead").ShouldBe(useInstead);
    }

    [Theory]
    [InlineData("""{"url":"https://x.test","event_types":["*"]}""")]
    [InlineData("""{"name":"n","event_types":["*"]}""")]
    [InlineData("""{"name":"n","url":"https://x.test"}""")]
    [InlineData("""{"name":null,"url":"https://x.test","event_types":["*"]}""")]
    [InlineData("""{"name":"n","url":"https://x.test","event_types":"*"}""")]
    [InlineData("""{"name":"n","url":"https://x.test","event_types":["*", null]}""")]
    [InlineData("""{"name":"n","url":"https://x.test","event_types":["*"],"max_retries":"3"}""")]
    [InlineData("""{"name":"n","url":"https://x.test","event_types":["*"],"filters":{"agent_id":"not-a-uuid"}}""")]
    [InlineData("""{"name":"n","url":"https://x.test","event_types":["*"],"target_labels":[1]}""")]
    [InlineData("""[]""")]
    [InlineData("""null""")]
    public async Task A_body_of_the_wrong_shape_is_422_invalid_request_body(string body)
        => await (await api.Admin().PostJsonAsync("/api/v1/webhooks", body)).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");

    [Theory]
    [InlineData("{\"name\":\"n\",\"url\":\"")]
    [InlineData("""{"name":"n",""")]
    [InlineData("""{"name":"n","url":"x"} trailing""")]
    public async Task Malformed_json_is_400(string body)
        => (await api.Admin().PostJsonAsync("/api/v1/webhooks", body)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

    [Fact]
    public async Task A_non_json_content_type_is_415()
        => await (await api.Admin().SendRawAsync(HttpMethod.Post, "/api/v1/webhooks", Valid(), "text/plain"))
            .ShouldFailAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");

    [Theory]
    [InlineData("""{"url":""}""", 400, "url_required")]
    [InlineData("""{"url":"ftp://x.test"}""", 400, "invalid_url_scheme")]
    [InlineData("""{"url":"HTTPS://x.test"}""", 400, "invalid_url_scheme")]
    [InlineData("""{"name":"  "}""", 400, "invalid_webhook")]
    [InlineData("""{"event_types":[]}""", 400, "invalid_webhook")]
    [InlineData("""{"max_retries":11}""", 422, "invalid_webhook")]
    [InlineData("""{"max_retries":-1}""", 422, "invalid_webhook")]
    [InlineData("""{"timeout_seconds":0}""", 422, "invalid_webhook")]
    [InlineData("""{"timeout_seconds":301}""", 422, "invalid_webhook")]
    [InlineData("""{"name":"a\u0000b"}""", 400, "invalid_webhook")]
    [InlineData("""{"signing_secret":""}""", 400, "invalid_webhook")]
    public async Task Invalid_values_get_the_reference_codes(string overrides, int status, string code)
        => await (await api.Admin().PostJsonAsync("/api/v1/webhooks", Merge(overrides))).ShouldFailAsync((HttpStatusCode)status, code);

    [Fact]
    public async Task A_name_over_255_characters_is_400_invalid_webhook()
        => await (await api.Admin().PostJsonAsync("/api/v1/webhooks", Valid(new { name = new string('n', 256) })))
            .ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_webhook");

    [Theory]
    [InlineData("""{"url":"","name":"","event_types":[],"max_retries":99}""", 400, "url_required")]
    [InlineData("""{"url":"ftp://x","name":"","event_types":[],"max_retries":99}""", 400, "invalid_url_scheme")]
    [InlineData("""{"name":"","event_types":[],"max_retries":99}""", 400, "invalid_webhook")]
    [InlineData("""{"max_retries":99,"timeout_seconds":0}""", 422, "invalid_webhook")]
    public async Task Checks_run_in_the_reference_order(string overrides, int status, string code)
        => await (await api.Admin().PostJsonAsync("/api/v1/webhooks", Merge(overrides))).ShouldFailAsync((HttpStatusCode)status, code);

    [Fact]
    public async Task Event_types_are_patterns_and_not_checked_against_the_known_list()
        => (await api.CreateWebhookAsync(Valid(new { event_types = new[] { "custom.thing", "*" } })))["event_types"]!.AsArray().Count.ShouldBe(2);

    [Fact]
    public async Task Non_admin_callers_get_admin_required_after_the_body_is_parsed()
    {
        var given = new Scenario(api);
        var agent = await given.AgentAsync();
        var generator = await given.GeneratorAsync();

        foreach (var pak in new[] { agent.Pak, generator.Pak })
        {
            var client = api.WithPak(pak);
            await (await client.PostJsonAsync("/api/v1/webhooks", Valid())).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
            await (await client.PostJsonAsync("/api/v1/webhooks", """{"validate":true}""")).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
            (await client.PostJsonAsync("/api/v1/webhooks", "{")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            await (await client.GetAsync("/api/v1/webhooks")).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
            await (await client.GetAsync("/api/v1/webhooks/event-types")).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
            await (await client.GetAsync($"/api/v1/webhooks/{Guid.NewGuid()}")).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
            await (await client.PutJsonAsync($"/api/v1/webhooks/{Guid.NewGuid()}", "{}")).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
            await (await client.DeleteAsync($"/api/v1/webhooks/{Guid.NewGuid()}")).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
            await (await client.GetAsync($"/api/v1/webhooks/{Guid.NewGuid()}/deliveries")).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
            await (await client.PostAsync($"/api/v1/webhooks/{Guid.NewGuid()}/test", null)).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        }

        (await api.Anonymous().GetAsync("/api/v1/webhooks")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Unknown_ids_are_webhook_not_found()
    {
        var unknown = Guid.NewGuid();
        var admin = api.Admin();

        await (await admin.GetAsync($"/api/v1/webhooks/{unknown}")).ShouldFailAsync(HttpStatusCode.NotFound, "webhook_not_found");
        await (await admin.PutJsonAsync($"/api/v1/webhooks/{unknown}", """{"enabled":false}""")).ShouldFailAsync(HttpStatusCode.NotFound, "webhook_not_found");
        await (await admin.DeleteAsync($"/api/v1/webhooks/{unknown}")).ShouldFailAsync(HttpStatusCode.NotFound, "webhook_not_found");
        await (await admin.GetAsync($"/api/v1/webhooks/{unknown}/deliveries")).ShouldFailAsync(HttpStatusCode.NotFound, "webhook_not_found");
        await (await admin.PostAsync($"/api/v1/webhooks/{unknown}/test", null)).ShouldFailAsync(HttpStatusCode.NotFound, "webhook_not_found");
        await (await admin.GetAsync("/api/v1/webhooks/not-a-uuid")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Update_changes_only_the_given_fields_and_null_leaves_a_field_unchanged()
    {
        var agent = Guid.NewGuid();
        var created = await api.CreateWebhookAsync(Valid(new { auth_header = "Bearer a", filters = new { agent_id = agent }, target_labels = new[] { "x" } }));
        var id = created.Id();

        var updated = await (await api.Admin().PutJsonAsync($"/api/v1/webhooks/{id}",
                """{"name":"renamed","enabled":false,"max_retries":0,"timeout_seconds":300,"auth_header":null,"filters":null,"target_labels":null,"event_types":null,"url":null}"""))
            .JsonAsync(HttpStatusCode.OK);

        updated.ShouldHaveExactKeys(Hooks.ResponseKeys);
        updated.Str("name").ShouldBe("renamed");
        updated["enabled"]!.GetValue<bool>().ShouldBeFalse();
        updated["max_retries"]!.GetValue<int>().ShouldBe(0);
        updated["timeout_seconds"]!.GetValue<int>().ShouldBe(300);
        updated["has_auth_header"]!.GetValue<bool>().ShouldBeTrue();
        updated["filters"]!.ToJsonString().ShouldBe(created["filters"]!.ToJsonString());
        updated["target_labels"]!.ToJsonString().ShouldBe("""["x"]""");
        updated["event_types"]!.ToJsonString().ShouldBe(created["event_types"]!.ToJsonString());
        updated.Str("created_at").ShouldBe(created.Str("created_at"));

        var unchanged = await (await api.Admin().PutJsonAsync($"/api/v1/webhooks/{id}", "{}")).JsonAsync(HttpStatusCode.OK);
        unchanged.Str("name").ShouldBe("renamed");
    }

    [Fact]
    public async Task Update_sets_and_removes_the_signing_secret_and_does_not_check_the_url_scheme_again()
    {
        var id = (await api.CreateWebhookAsync(Valid()))!.Id();

        var signed = await (await api.Admin().PutJsonAsync($"/api/v1/webhooks/{id}", """{"signing_secret":"s","url":"ftp://legacy"}""")).JsonAsync(HttpStatusCode.OK);
        signed["has_signing_secret"]!.GetValue<bool>().ShouldBeTrue();
        var unsigned = await (await api.Admin().PutJsonAsync($"/api/v1/webhooks/{id}", """{"signing_secret":""}""")).JsonAsync(HttpStatusCode.OK);
        unsigned["has_signing_secret"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task Update_checks_run_in_the_reference_order()
    {
        var id = (await api.CreateWebhookAsync(Valid())).Id();
        var unknown = Guid.NewGuid();
        var admin = api.Admin();

        await (await admin.PutJsonAsync($"/api/v1/webhooks/{unknown}", """{"filters":{"labels":null},"max_retries":"x"}""")).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "unsupported_field");
        // validate is refused on create only.
        (await admin.PutJsonAsync($"/api/v1/webhooks/{id}", """{"validate":true}""")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await admin.PutJsonAsync($"/api/v1/webhooks/{unknown}", """{"max_retries":"x"}""")).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await (await admin.PutJsonAsync($"/api/v1/webhooks/{unknown}", """{"max_retries":99}""")).ShouldFailAsync(HttpStatusCode.NotFound, "webhook_not_found");
        await (await admin.PutJsonAsync($"/api/v1/webhooks/{id}", """{"max_retries":99}""")).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_webhook");
        await (await admin.PutJsonAsync($"/api/v1/webhooks/{id}", """{"timeout_seconds":0}""")).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_webhook");
        await (await admin.PutJsonAsync($"/api/v1/webhooks/{id}", $$"""{"name":"{{new string('n', 256)}}"}""")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_webhook");
    }

    [Fact]
    public async Task Delete_is_hard_and_takes_the_deliveries_with_it()
    {
        var type = Hooks.UniqueType();
        var id = await api.SubscribeAsync("https://x.test/hook", [type]);
        await api.PublishAsync(type, new Dictionary<string, object?>());
        (await api.CountAsync("SELECT count(*) FROM webhook_deliveries WHERE subscription_id = @id", ("id", id))).ShouldBe(1);

        (await api.Admin().DeleteAsync($"/api/v1/webhooks/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await api.Admin().DeleteAsync($"/api/v1/webhooks/{id}")).ShouldFailAsync(HttpStatusCode.NotFound, "webhook_not_found");
        (await api.CountAsync("SELECT count(*) FROM webhook_deliveries WHERE subscription_id = @id", ("id", id))).ShouldBe(0);
    }

    [Fact]
    public async Task Changes_are_audited_as_admin_on_the_subscription()
    {
        var id = (await api.CreateWebhookAsync(Valid(new { name = "audited", event_types = new[] { "stack.*" } }))).Id();
        (await api.Admin().PutJsonAsync($"/api/v1/webhooks/{id}", """{"enabled":false}""")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.Admin().DeleteAsync($"/api/v1/webhooks/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var created = await api.ScalarAsync<string>(
            "SELECT details::text FROM audit_logs WHERE action = 'webhook.created' AND resource_id = @id AND actor_type = 'admin' AND actor_id IS NULL AND resource_type = 'webhook_subscription'", ("id", id));
        JsonNode.Parse(created)!.ToJsonString().ShouldBe("""{"name":"audited","event_types":["stack.*"]}""");
        var updated = await api.ScalarAsync<string>("SELECT details::text FROM audit_logs WHERE action = 'webhook.updated' AND resource_id = @id", ("id", id));
        JsonNode.Parse(updated)!["enabled"]!.GetValue<bool>().ShouldBeFalse();
        (await api.CountAsync("SELECT count(*) FROM audit_logs WHERE action = 'webhook.deleted' AND resource_id = @id", ("id", id))).ShouldBe(1);
    }

    [Fact]
    public async Task Deliveries_page_by_status_limit_and_offset_newest_first()
    {
        var type = Hooks.UniqueType();
        var id = await api.SubscribeAsync("https://x.test/hook", [type]);
        for (var i = 0; i < 3; i++)
        {
            await api.PublishAsync(type, new Dictionary<string, object?> { ["n"] = i });
        }

        var all = await api.DeliveriesAsync(id);
        all.Count.ShouldBe(3);
        all[0]!.ShouldHaveExactKeys(Hooks.DeliveryKeys);
        JsonNode.Parse(all[0]!.Str("payload"))!["data"]!["n"]!.GetValue<int>().ShouldBe(2);
        (await api.DeliveriesAsync(id, "?limit=1&offset=1")).Select(d => JsonNode.Parse(d!.Str("payload"))!["data"]!["n"]!.GetValue<int>()).ShouldBe([1]);
        (await api.DeliveriesAsync(id, "?status=pending")).Count.ShouldBe(3);
        (await api.DeliveriesAsync(id, "?status=success")).Count.ShouldBe(0);
        (await api.DeliveriesAsync(id, "?status=nonsense")).Count.ShouldBe(0);
        (await api.DeliveriesAsync(id, "?limit=0")).Count.ShouldBe(0);
        await (await api.Admin().GetAsync($"/api/v1/webhooks/{id}/deliveries?limit=-1")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");
        (await api.Admin().GetAsync($"/api/v1/webhooks/{id}/deliveries?limit=x")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    private static string Merge(string overrides)
    {
        var body = JsonNode.Parse(Valid())!.AsObject();
        foreach (var (key, value) in JsonNode.Parse(overrides)!.AsObject())
        {
            body[key] = value?.DeepClone();
        }

        return body.ToJsonString();
    }
}
