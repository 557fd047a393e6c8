using System.Security.Cryptography;
using System.Text;

namespace Brokkr.Templates.Tests;

/// <summary>Template CRUD and versioning (behaviour §3.7, §5), content checks, bad input, audit.</summary>
public sealed class TemplateTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);

    [Fact]
    public async Task Admin_creates_a_system_template_with_the_reference_shape()
    {
        var name = Scenario.Unique("sys");

        var created = await _given.Admin.CreateTemplateAsync(name, description: "desc");

        created.ShouldHaveExactKeys(TemplateWire.TemplateKeys);
        created["generator_id"].ShouldBeNull();
        created["deleted_at"].ShouldBeNull();
        created.Str("name").ShouldBe(name);
        created.Str("description").ShouldBe("desc");
        created["version"]!.GetValue<int>().ShouldBe(1);
        created.Str("template_content").ShouldBe(TemplateWire.Content);
        created.Str("parameters_schema").ShouldBe(TemplateWire.Schema);
        created.Str("checksum").ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(TemplateWire.Content))));
        created.Str("created_at").ShouldEndWith("Z");
        var read = await (await _given.Admin.GetAsync($"/api/v1/templates/{created.Id()}")).JsonAsync(HttpStatusCode.OK);
        read.ToJsonString().ShouldBe(created.ToJsonString());
    }

    [Fact]
    public async Task Generator_creates_its_own_template_and_description_may_be_omitted()
    {
        var generator = await _given.GeneratorAsync();
        var client = api.WithPak(generator.Pak);

        var created = await (await client.PostJsonAsync("/api/v1/templates", new { name = "mine", template_content = "a: {{ x }}", parameters_schema = "{}" }))
            .JsonAsync(HttpStatusCode.Created);

        created.Id("generator_id").ShouldBe(generator.Id);
        created["description"].ShouldBeNull();
    }

    [Fact]
    public async Task Posting_an_existing_name_adds_the_next_version_per_owner()
    {
        var generator = await _given.GeneratorAsync();
        var client = api.WithPak(generator.Pak);
        var name = Scenario.Unique("same");

        var first = await client.CreateTemplateAsync(name);
        var second = await client.CreateTemplateAsync(name);
        var system = await _given.Admin.CreateTemplateAsync(name);

        first["version"]!.GetValue<int>().ShouldBe(1);
        second["version"]!.GetValue<int>().ShouldBe(2);
        second.Id().ShouldNotBe(first.Id());
        system["version"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task Concurrent_posts_of_one_name_get_distinct_versions()
    {
        var name = Scenario.Unique("race");

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _given.Admin.PostJsonAsync("/api/v1/templates", TemplateWire.Body(name))));

        var versions = new List<int>();
        foreach (var response in responses)
        {
            versions.Add((await response.JsonAsync(HttpStatusCode.Created))["version"]!.GetValue<int>());
        }

        versions.Order().ShouldBe([1, 2, 3, 4, 5, 6]);
    }

    [Fact]
    public async Task Put_creates_a_new_row_with_the_next_version_and_keeps_the_old_one()
    {
        var generator = await _given.GeneratorAsync();
        var client = api.WithPak(generator.Pak);
        var original = await client.CreateTemplateAsync(Scenario.Unique("put"), description: "kept");
        await client.TemplateLabelAsync(original.Id(), "env:prod");
        await client.TemplateAnnotationAsync(original.Id(), "team", "a");

        var updated = await (await client.PutJsonAsync($"/api/v1/templates/{original.Id()}", new { template_content = "b: {{ y }}", parameters_schema = "{}" }))
            .JsonAsync(HttpStatusCode.OK);

        updated.ShouldHaveExactKeys(TemplateWire.TemplateKeys);
        updated.Id().ShouldNotBe(original.Id());
        updated["version"]!.GetValue<int>().ShouldBe(2);
        updated.Str("name").ShouldBe(original.Str("name"));
        updated.Str("description").ShouldBe("kept");
        updated.Id("generator_id").ShouldBe(generator.Id);
        updated.Str("template_content").ShouldBe("b: {{ y }}");
        (await (await client.GetAsync($"/api/v1/templates/{updated.Id()}/labels")).ArrayAsync()).ShouldBeEmpty();
        (await (await client.GetAsync($"/api/v1/templates/{updated.Id()}/annotations")).ArrayAsync()).ShouldBeEmpty();
        var old = await (await client.GetAsync($"/api/v1/templates/{original.Id()}")).JsonAsync(HttpStatusCode.OK);
        old.Str("template_content").ShouldBe(TemplateWire.Content);
        (await (await client.GetAsync($"/api/v1/templates/{original.Id()}/labels")).ArrayAsync()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Put_with_a_description_replaces_it_and_on_a_system_template_keeps_it_a_system_template()
    {
        var original = await _given.Admin.CreateTemplateAsync(description: "old");

        var updated = await (await _given.Admin.PutJsonAsync($"/api/v1/templates/{original.Id()}",
            new { template_content = "c: 1", parameters_schema = "{}", description = "new" })).JsonAsync(HttpStatusCode.OK);

        updated.Str("description").ShouldBe("new");
        updated["generator_id"].ShouldBeNull();
    }

    [Fact]
    public async Task Delete_soft_deletes_that_version_only_and_its_number_is_reused()
    {
        var name = Scenario.Unique("del");
        var first = await _given.Admin.CreateTemplateAsync(name);
        var second = await _given.Admin.CreateTemplateAsync(name);

        (await _given.Admin.DeleteAsync($"/api/v1/templates/{second.Id()}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await _given.Admin.GetAsync($"/api/v1/templates/{second.Id()}")).ShouldFailAsync(HttpStatusCode.NotFound, "template_not_found");
        await (await _given.Admin.DeleteAsync($"/api/v1/templates/{second.Id()}")).ShouldFailAsync(HttpStatusCode.NotFound, "template_not_found");
        (await _given.Admin.GetAsync($"/api/v1/templates/{first.Id()}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var list = await (await _given.Admin.GetAsync("/api/v1/templates")).ArrayAsync();
        list.Ids().ShouldContain(first.Id());
        list.Ids().ShouldNotContain(second.Id());
        (await _given.Admin.CreateTemplateAsync(name))["version"]!.GetValue<int>().ShouldBe(2);
        var deletedAt = await api.RowsAsync("SELECT deleted_at FROM stack_templates WHERE id = @id", ("id", second.Id()));
        deletedAt.Single()["deleted_at"].ShouldNotBeNull();
    }

    [Fact]
    public async Task List_is_oldest_first_and_pages_with_limit_and_offset()
    {
        var generator = await _given.GeneratorAsync();
        var client = api.WithPak(generator.Pak);
        var a = (await client.CreateTemplateAsync()).Id();
        var b = (await client.CreateTemplateAsync()).Id();
        var c = (await client.CreateTemplateAsync()).Id();

        var own = (await (await client.GetAsync("/api/v1/templates")).ArrayAsync()).Where(t => t!["generator_id"] is not null).Select(t => t!.Id()).ToList();
        own.ShouldBe([a, b, c]);
        var page = await (await client.GetAsync("/api/v1/templates?limit=1&offset=1")).ArrayAsync();
        page.Count.ShouldBe(1);
        await (await client.GetAsync("/api/v1/templates?limit=0")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");
        await (await client.GetAsync("/api/v1/templates?offset=-1")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");
    }

    [Theory]
    [InlineData("", "a: 1", "{}", "invalid_template")]
    [InlineData("   ", "a: 1", "{}", "invalid_template")]
    [InlineData("n", "", "{}", "invalid_template")]
    [InlineData("n", " \n ", "{}", "invalid_template")]
    [InlineData("n", "a: {{ x ", "{}", "invalid_template_syntax")]
    [InlineData("n", "{% include \"x\" %}", "{}", "invalid_template_syntax")]
    [InlineData("n", "{{ x | nope }}", "{}", "invalid_template_syntax")]
    [InlineData("n", "a: {{ x }", "not json", "invalid_template_syntax")]
    [InlineData("n", "a: 1", "not json", "invalid_parameters_schema")]
    [InlineData("n", "a: 1", "", "invalid_parameters_schema")]
    [InlineData("n", "a: 1", "[1]", "invalid_parameters_schema")]
    [InlineData("n", "a: 1", "\"string\"", "invalid_parameters_schema")]
    [InlineData("n", "a: 1", """{"type":5}""", "invalid_parameters_schema")]
    [InlineData("n", "a: 1", """{"type":"strin"}""", "invalid_parameters_schema")]
    [InlineData("n", "a: 1", """{"required":"x"}""", "invalid_parameters_schema")]
    [InlineData("n", "a: 1", """{"properties":{"a":{"pattern":"("}}}""", "invalid_parameters_schema")]
    [InlineData("n", "a: 1", """{"$ref":"http://127.0.0.1:9/schema.json"}""", "invalid_parameters_schema")]
    [InlineData("n", "a: 1", """{"properties":{"a":{"$ref":"file:///etc/passwd"}}}""", "invalid_parameters_schema")]
    [InlineData("n", "a: 1", """{"x-custom":{"deep":{"$ref":"https://example.invalid/s"}}}""", "invalid_parameters_schema")]
    public async Task Create_refuses_blank_fields_bad_syntax_and_bad_schemas_with_a_400(string name, string content, string schema, string code)
    {
        await (await _given.Admin.PostJsonAsync("/api/v1/templates", new { name, template_content = content, parameters_schema = schema }))
            .ShouldFailAsync(HttpStatusCode.BadRequest, code);
        var original = await _given.Admin.CreateTemplateAsync();
        if (name.Trim().Length > 0)
        {
            await (await _given.Admin.PutJsonAsync($"/api/v1/templates/{original.Id()}", new { template_content = content, parameters_schema = schema }))
                .ShouldFailAsync(HttpStatusCode.BadRequest, code);
        }
    }

    [Fact]
    public async Task Syntax_errors_report_line_and_column()
    {
        var error = await (await _given.Admin.PostJsonAsync("/api/v1/templates", TemplateWire.Body(content: "a: 1\nb: {{ x | nope }}")))
            .ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_template_syntax");

        error["details"]!["line"]!.GetValue<int>().ShouldBe(2);
        error.Str("message").ShouldContain("nope");
    }

    [Theory]
    [InlineData("true")]
    [InlineData("""{"$defs":{"n":{"type":"integer"}},"properties":{"a":{"$ref":"#/$defs/n"}}}""")]
    public async Task Boolean_schemas_and_local_references_are_accepted(string schema)
        => await (await _given.Admin.PostJsonAsync("/api/v1/templates", TemplateWire.Body(schema: schema))).JsonAsync(HttpStatusCode.Created);

    [Fact]
    public async Task Bad_input_gets_a_4xx_never_a_5xx()
    {
        var template = await _given.Admin.CreateTemplateAsync();

        await (await _given.Admin.SendRawAsync(HttpMethod.Post, "/api/v1/templates", "{\"name\":", "application/json")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
        await (await _given.Admin.SendRawAsync(HttpMethod.Post, "/api/v1/templates", "{}", "text/plain")).ShouldFailAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await (await _given.Admin.PostJsonAsync("/api/v1/templates", new { name = "x", template_content = "a: 1" })).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await (await _given.Admin.PostJsonAsync("/api/v1/templates", new { name = 5, template_content = "a: 1", parameters_schema = "{}" }))
            .ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await (await _given.Admin.PostJsonAsync("/api/v1/templates", TemplateWire.Body(name: new string('n', 256)))).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_template");
        await (await _given.Admin.PostJsonAsync("/api/v1/templates", TemplateWire.Body(name: "nul\u0000"))).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_template");
        await (await _given.Admin.PostJsonAsync("/api/v1/templates", TemplateWire.Body(content: "a: \u0000"))).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_template");
        await (await _given.Admin.SendRawAsync(HttpMethod.Post, "/api/v1/templates",
            """{"name":"n","template_content":"a: 1","parameters_schema":"{}","description":"\ud800"}""", "application/json")).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await (await _given.Admin.PostJsonAsync("/api/v1/templates", TemplateWire.Body(content: new string('a', 3 * 1024 * 1024)))).ShouldFailAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        await (await _given.Admin.GetAsync("/api/v1/templates/not-a-uuid")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await _given.Admin.PutJsonAsync("/api/v1/templates/not-a-uuid", new { template_content = "a", parameters_schema = "{}" })).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await _given.Admin.PutJsonAsync($"/api/v1/templates/{template.Id()}", new { parameters_schema = "{}" })).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await (await _given.Admin.PutJsonAsync($"/api/v1/templates/{Guid.NewGuid()}", new { template_content = "a: 1", parameters_schema = "{}" })).ShouldFailAsync(HttpStatusCode.NotFound, "template_not_found");
    }

    [Fact]
    public async Task Sql_looking_text_is_stored_verbatim()
    {
        const string name = "x'); DROP TABLE stack_templates; --";
        const string content = "a: \"{{ '; DELETE FROM stacks; --' }}\"";

        var created = await _given.Admin.CreateTemplateAsync(name, content, "{}", description: "' OR 1=1 --");

        var read = await (await _given.Admin.GetAsync($"/api/v1/templates/{created.Id()}")).JsonAsync(HttpStatusCode.OK);
        read.Str("name").ShouldBe(name);
        read.Str("template_content").ShouldBe(content);
        read.Str("description").ShouldBe("' OR 1=1 --");
    }

    [Fact]
    public async Task A_template_of_several_hundred_kilobytes_is_stored_whole()
    {
        var content = "items:\n" + string.Concat(Enumerable.Range(0, 20_000).Select(i => $"  - item-{i}: \"{{{{ name }}}}\"\n"));

        var created = await _given.Admin.CreateTemplateAsync(content: content, schema: "{}");

        created.Str("template_content").ShouldBe(content);
    }

    [Fact]
    public async Task Writes_are_audited_with_the_real_caller()
    {
        var generator = await _given.GeneratorAsync();
        var client = api.WithPak(generator.Pak);
        var created = await client.CreateTemplateAsync();
        var updated = await (await client.PutJsonAsync($"/api/v1/templates/{created.Id()}", new { template_content = "a: 1", parameters_schema = "{}" })).JsonAsync(HttpStatusCode.OK);
        (await client.DeleteAsync($"/api/v1/templates/{updated.Id()}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var system = await _given.Admin.CreateTemplateAsync();

        var rows = await api.RowsAsync(
            "SELECT action, actor_type, actor_id, resource_type, resource_id, details::text AS details FROM audit_logs WHERE resource_id = ANY(@ids) ORDER BY \"timestamp\", action",
            ("ids", new[] { created.Id(), updated.Id(), system.Id() }));

        rows.Select(r => (string)r["action"]!).ShouldBe(["template.created", "template.updated", "template.deleted", "template.created"]);
        rows.Take(3).ShouldAllBe(r => (string)r["actor_type"]! == "generator" && (Guid)r["actor_id"]! == generator.Id && (string)r["resource_type"]! == "template");
        ((Guid)rows[1]["resource_id"]!).ShouldBe(updated.Id());
        var details = JsonNode.Parse((string)rows[1]["details"]!)!;
        details.Str("name").ShouldBe(created.Str("name"));
        details["version"]!.GetValue<int>().ShouldBe(2);
        rows[3]["actor_type"].ShouldBe("admin");
        rows[3]["actor_id"].ShouldBeNull();
    }

    [Fact]
    public async Task Deleting_a_generator_deletes_its_templates_but_not_system_ones()
    {
        var generator = await _given.GeneratorAsync();
        var own = await api.WithPak(generator.Pak).CreateTemplateAsync();
        var system = await _given.Admin.CreateTemplateAsync();

        (await _given.Admin.DeleteAsync($"/api/v1/generators/{generator.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await _given.Admin.GetAsync($"/api/v1/templates/{own.Id()}")).ShouldFailAsync(HttpStatusCode.NotFound, "template_not_found");
        (await _given.Admin.GetAsync($"/api/v1/templates/{system.Id()}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var row = await api.RowsAsync("SELECT t.deleted_at = g.deleted_at AS same FROM stack_templates t JOIN generators g ON g.id = t.generator_id WHERE t.id = @id", ("id", own.Id()));
        row.Single()["same"].ShouldBe(true);
    }
}
