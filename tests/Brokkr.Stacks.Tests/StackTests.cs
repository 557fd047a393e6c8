namespace Brokkr.Stacks.Tests;

/// <summary>POST, GET, PUT, DELETE of stacks and the stack list.</summary>
public sealed class StackTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);

    [Fact]
    public async Task Created_stack_has_exactly_the_reference_keys_with_nulls_present()
    {
        var generator = await _given.GeneratorAsync();
        var name = Scenario.Unique("stack");

        var created = await (await api.WithPak(generator.Pak).PostJsonAsync("/api/v1/stacks", new { name, generator_id = generator.Id }))
            .JsonAsync(HttpStatusCode.Created);

        created.ShouldHaveExactKeys(Wire.StackKeys);
        created.Str("name").ShouldBe(name);
        created["description"].ShouldBeNull();
        created["deleted_at"].ShouldBeNull();
        created.Id("generator_id").ShouldBe(generator.Id);
        created.Str("created_at").ShouldEndWith("Z");
        var fetched = await (await api.WithPak(generator.Pak).GetAsync($"/api/v1/stacks/{created.Id()}")).JsonAsync(HttpStatusCode.OK);
        fetched.ToJsonString().ShouldBe(created.ToJsonString());
    }

    [Fact]
    public async Task Stack_names_are_unique_among_live_stacks_and_reusable_after_delete()
    {
        var generator = await _given.GeneratorAsync();
        var name = Scenario.Unique("dup");
        var first = await _given.StackAsync(generator.Id, name);

        var clash = await (await api.Admin().PostJsonAsync("/api/v1/stacks", new { name, generator_id = generator.Id }))
            .ShouldFailAsync(HttpStatusCode.Conflict, "unique_violation");
        clash["details"]!.Str("constraint").ShouldBe("unique_stack_name");

        (await api.Admin().DeleteAsync($"/api/v1/stacks/{first}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await api.Admin().PostJsonAsync("/api/v1/stacks", new { name, generator_id = generator.Id })).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Unknown_generator_is_a_foreign_key_violation()
    {
        var body = await (await api.Admin().PostJsonAsync("/api/v1/stacks", new { name = Scenario.Unique("s"), generator_id = Guid.NewGuid() }))
            .ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "foreign_key_violation");
        body["details"]!.Str("constraint").ShouldBe("stacks_generator_id_fkey");
    }

    [Fact]
    public async Task Soft_deleted_generator_cannot_receive_new_stacks()
    {
        var generator = await _given.GeneratorAsync();
        await api.ExecuteAsync("UPDATE generators SET deleted_at = now() WHERE id = @id", ("id", generator.Id));

        await (await api.Admin().PostJsonAsync("/api/v1/stacks", new { name = Scenario.Unique("s"), generator_id = generator.Id }))
            .ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "foreign_key_violation");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Blank_stack_name_is_refused(string name)
    {
        var generator = await _given.GeneratorAsync();

        await (await api.Admin().PostJsonAsync("/api/v1/stacks", new { name, generator_id = generator.Id })).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_stack");
    }

    [Fact]
    public async Task Stack_name_of_255_characters_is_accepted_and_256_refused()
    {
        var generator = await _given.GeneratorAsync();
        var name = Guid.NewGuid().ToString("N") + new string('é', 223);

        (await api.Admin().PostJsonAsync("/api/v1/stacks", new { name, generator_id = generator.Id })).StatusCode.ShouldBe(HttpStatusCode.Created);
        await (await api.Admin().PostJsonAsync("/api/v1/stacks", new { name = name + "x", generator_id = generator.Id }))
            .ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_stack");
    }

    [Fact]
    public async Task Sql_looking_names_and_descriptions_are_stored_verbatim()
    {
        var generator = await _given.GeneratorAsync();
        var name = "x'); DROP TABLE stacks; -- " + Guid.NewGuid().ToString("N");
        const string description = "'; DELETE FROM deployment_objects WHERE ''='";

        var created = await (await api.Admin().PostJsonAsync("/api/v1/stacks", new { name, description, generator_id = generator.Id })).JsonAsync(HttpStatusCode.Created);

        var fetched = await (await api.Admin().GetAsync($"/api/v1/stacks/{created.Id()}")).JsonAsync(HttpStatusCode.OK);
        fetched.Str("name").ShouldBe(name);
        fetched.Str("description").ShouldBe(description);
    }

    [Theory]
    [InlineData("{\"name\": \"x\", \"generator_id\": ")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task Malformed_json_is_400(string body)
        => await (await api.Admin().SendRawAsync(HttpMethod.Post, "/api/v1/stacks", body, "application/json")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");

    [Fact]
    public async Task Missing_name_or_null_generator_is_422()
    {
        await (await api.Admin().PostJsonAsync("/api/v1/stacks", new { generator_id = Guid.NewGuid() })).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await (await api.Admin().PostJsonAsync("/api/v1/stacks", new { name = "x", generator_id = (Guid?)null })).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
    }

    [Fact]
    public async Task Non_json_content_type_is_415()
        => await (await api.Admin().SendRawAsync(HttpMethod.Post, "/api/v1/stacks", "{\"name\":\"x\"}", "text/plain")).ShouldFailAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");

    [Fact]
    public async Task Invalid_utf8_or_unpaired_surrogate_in_a_body_is_a_4xx()
    {
        var generator = await _given.GeneratorAsync();
        var invalidUtf8 = System.Text.Encoding.UTF8.GetBytes($"{{\"name\":\"a\",\"generator_id\":\"{generator.Id}\"}}");
        invalidUtf8[9] = 0xFF;

        var response = await api.Admin().SendBytesAsync(HttpMethod.Post, "/api/v1/stacks", invalidUtf8, "application/json");
        ((int)response.StatusCode).ShouldBeInRange(400, 499, await response.Content.ReadAsStringAsync());
        var surrogate = await api.Admin().SendRawAsync(HttpMethod.Post, "/api/v1/stacks", $"{{\"name\":\"a\\ud800b\",\"generator_id\":\"{generator.Id}\"}}", "application/json");
        ((int)surrogate.StatusCode).ShouldBeInRange(400, 499, await surrogate.Content.ReadAsStringAsync());
        var nul = await api.Admin().SendRawAsync(HttpMethod.Post, "/api/v1/stacks", $"{{\"name\":\"a\\u0000b\",\"generator_id\":\"{generator.Id}\"}}", "application/json");
        ((int)nul.StatusCode).ShouldBeInRange(400, 499, await nul.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/v1/stacks/not-a-uuid")]
    [InlineData("/api/v1/stacks/123/labels")]
    [InlineData("/api/v1/stacks/xyz/deployment-objects")]
    [InlineData("/api/v1/deployment-objects/nope")]
    [InlineData("/api/v1/agents/nope/target-state")]
    [InlineData("/api/v1/agents/nope/stacks")]
    public async Task Bad_uuid_in_the_path_is_400(string url)
    {
        var response = await api.Admin().GetAsync(url);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
    }

    [Fact]
    public async Task Path_ids_accept_the_32_hex_and_braced_forms()
    {
        var stack = await _given.StackAsync((await _given.GeneratorAsync()).Id);

        (await api.Admin().GetAsync($"/api/v1/stacks/{stack:N}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.Admin().GetAsync($"/api/v1/stacks/{stack.ToString("B").ToUpperInvariant()}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Unknown_or_deleted_stack_is_404()
    {
        var stack = await _given.StackAsync((await _given.GeneratorAsync()).Id);
        (await api.Admin().DeleteAsync($"/api/v1/stacks/{stack}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await api.Admin().GetAsync($"/api/v1/stacks/{Guid.NewGuid()}")).ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
        await (await api.Admin().GetAsync($"/api/v1/stacks/{stack}")).ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
        await (await api.Admin().DeleteAsync($"/api/v1/stacks/{stack}")).ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
        await (await api.Admin().GetAsync($"/api/v1/stacks/{stack}/deployment-objects")).ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
    }

    [Fact]
    public async Task Admin_lists_every_live_stack_and_pak_id_narrows_to_one_generator()
    {
        var mine = await _given.GeneratorAsync();
        var other = await _given.GeneratorAsync();
        var a = await _given.StackAsync(mine.Id);
        var b = await _given.StackAsync(mine.Id);
        var c = await _given.StackAsync(other.Id);
        var gone = await _given.StackAsync(mine.Id);
        (await api.Admin().DeleteAsync($"/api/v1/stacks/{gone}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var all = (await (await api.Admin().GetAsync("/api/v1/stacks")).ArrayAsync()).Ids();
        all.ShouldContain(a);
        all.ShouldContain(c);
        all.ShouldNotContain(gone);
        var scoped = await (await api.Admin().GetAsync($"/api/v1/stacks?pak_id={mine.Id}")).ArrayAsync();
        scoped.Ids().ShouldBe([a, b]);
        scoped[0]!.ShouldHaveExactKeys(Wire.StackKeys);
        (await (await api.Admin().GetAsync($"/api/v1/stacks?pak_id={Guid.NewGuid()}")).ArrayAsync()).ShouldBeEmpty();
        (await (await api.Admin().GetAsync($"/api/v1/stacks?pak_id={mine.Id:N}")).ArrayAsync()).Ids().ShouldBe([a, b]);
    }

    [Theory]
    [InlineData("pak_id=nope")]
    [InlineData("pak_id=")]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("limit=abc")]
    [InlineData("offset=-1")]
    public async Task Malformed_list_query_is_400(string query)
    {
        var body = await (await api.Admin().GetAsync($"/api/v1/stacks?{query}")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");
        body["details"]!.Str("parameter").ShouldBe(query.Split('=')[0]);
    }

    [Fact]
    public async Task Malformed_pak_id_is_400_even_for_an_agent()
    {
        var agent = await _given.AgentAsync();

        await (await api.WithPak(agent.Pak).GetAsync("/api/v1/stacks?pak_id=nope")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");
    }

    [Fact]
    public async Task Generator_sees_only_its_own_stacks_whatever_pak_id_says()
    {
        var mine = await _given.GeneratorAsync();
        var other = await _given.GeneratorAsync();
        var a = await _given.StackAsync(mine.Id);
        await _given.StackAsync(other.Id);

        (await (await api.WithPak(mine.Pak).GetAsync("/api/v1/stacks")).ArrayAsync()).Ids().ShouldBe([a]);
        (await (await api.WithPak(mine.Pak).GetAsync($"/api/v1/stacks?pak_id={other.Id}")).ArrayAsync()).Ids().ShouldBe([a]);
    }

    [Fact]
    public async Task Stack_list_pages_with_limit_and_offset()
    {
        var generator = await _given.GeneratorAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await _given.StackAsync(generator.Id));
        }

        var client = api.WithPak(generator.Pak);
        (await (await client.GetAsync("/api/v1/stacks?limit=2")).ArrayAsync()).Ids().ShouldBe(ids[..2]);
        (await (await client.GetAsync("/api/v1/stacks?limit=2&offset=2")).ArrayAsync()).Ids().ShouldBe(ids[2..4]);
        (await (await client.GetAsync("/api/v1/stacks?offset=4")).ArrayAsync()).Ids().ShouldBe(ids[4..]);
        (await (await client.GetAsync("/api/v1/stacks")).ArrayAsync()).Ids().ShouldBe(ids);
    }

    [Fact]
    public async Task Put_changes_name_and_description_and_ignores_server_owned_fields()
    {
        var generator = await _given.GeneratorAsync();
        var stack = await (await api.Admin().PostJsonAsync("/api/v1/stacks", new { name = Scenario.Unique("s"), description = "old", generator_id = generator.Id })).JsonAsync(HttpStatusCode.Created);
        var name = Scenario.Unique("renamed");

        var updated = await (await api.WithPak(generator.Pak).PutJsonAsync($"/api/v1/stacks/{stack.Id()}", new
        {
            id = stack.Id(),
            created_at = "2001-01-01T00:00:00Z",
            updated_at = "2001-01-01T00:00:00Z",
            deleted_at = "2001-01-01T00:00:00Z",
            name,
            description = "new",
            generator_id = generator.Id,
        })).JsonAsync(HttpStatusCode.OK);

        updated.ShouldHaveExactKeys(Wire.StackKeys);
        updated.Str("name").ShouldBe(name);
        updated.Str("description").ShouldBe("new");
        updated.Str("created_at").ShouldBe(stack.Str("created_at"));
        updated["deleted_at"].ShouldBeNull();
        DateTime.Parse(updated.Str("updated_at")).ShouldBeGreaterThanOrEqualTo(DateTime.Parse(stack.Str("updated_at")));
        (await (await api.Admin().GetAsync($"/api/v1/stacks/{stack.Id()}")).JsonAsync(HttpStatusCode.OK)).ToJsonString().ShouldBe(updated.ToJsonString());
    }

    [Fact]
    public async Task Put_with_null_or_absent_description_keeps_it()
    {
        var generator = await _given.GeneratorAsync();
        var stack = await (await api.Admin().PostJsonAsync("/api/v1/stacks", new { name = Scenario.Unique("s"), description = "keep me", generator_id = generator.Id })).JsonAsync(HttpStatusCode.Created);
        var id = stack.Id();

        var withNull = await (await api.Admin().PutJsonAsync($"/api/v1/stacks/{id}", new { id, created_at = stack.Str("created_at"), updated_at = stack.Str("updated_at"), name = "n1" + id, description = (string?)null, generator_id = generator.Id }))
            .JsonAsync(HttpStatusCode.OK);
        var absent = await (await api.Admin().PutJsonAsync($"/api/v1/stacks/{id}", new { id, created_at = stack.Str("created_at"), updated_at = stack.Str("updated_at"), name = "n2" + id, generator_id = generator.Id }))
            .JsonAsync(HttpStatusCode.OK);

        withNull.Str("description").ShouldBe("keep me");
        absent.Str("description").ShouldBe("keep me");
        absent.Str("name").ShouldBe("n2" + id);
    }

    [Fact]
    public async Task Put_cannot_move_a_stack_to_another_generator()
    {
        var generator = await _given.GeneratorAsync();
        var other = await _given.GeneratorAsync();
        var stack = await _given.StackAsync(generator.Id);
        var body = new { id = stack, created_at = "2025-01-01T00:00:00Z", updated_at = "2025-01-01T00:00:00Z", name = Scenario.Unique("s"), generator_id = other.Id };

        var error = await (await api.WithPak(generator.Pak).PutJsonAsync($"/api/v1/stacks/{stack}", body)).ShouldFailAsync(HttpStatusCode.BadRequest, "immutable_field");
        error["details"]!.Str("field").ShouldBe("generator_id");
        await (await api.Admin().PutJsonAsync($"/api/v1/stacks/{stack}", body)).ShouldFailAsync(HttpStatusCode.BadRequest, "immutable_field");
        (await (await api.Admin().GetAsync($"/api/v1/stacks/{stack}")).JsonAsync(HttpStatusCode.OK)).Id("generator_id").ShouldBe(generator.Id);
    }

    [Fact]
    public async Task Put_checks_run_in_the_reference_order()
    {
        var generator = await _given.GeneratorAsync();
        var other = await _given.GeneratorAsync();
        var stack = await _given.StackAsync(generator.Id);
        var taken = Scenario.Unique("taken");
        await _given.StackAsync(generator.Id, taken);
        object Body(Guid id, string name, Guid owner) => new { id, created_at = "2025-01-01T00:00:00Z", updated_at = "2025-01-01T00:00:00Z", name, generator_id = owner };

        await (await api.Admin().PutJsonAsync($"/api/v1/stacks/{Guid.NewGuid()}", Body(stack, "x", generator.Id))).ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
        await (await api.WithPak(other.Pak).PutJsonAsync($"/api/v1/stacks/{stack}", Body(Guid.NewGuid(), "x", other.Id))).ShouldFailAsync(HttpStatusCode.Forbidden, "stack_not_owned");
        await (await api.WithPak(generator.Pak).PutJsonAsync($"/api/v1/stacks/{stack}", Body(Guid.NewGuid(), "", other.Id))).ShouldFailAsync(HttpStatusCode.BadRequest, "stack_id_mismatch");
        await (await api.WithPak(generator.Pak).PutJsonAsync($"/api/v1/stacks/{stack}", Body(stack, "", generator.Id))).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_stack");
        await (await api.WithPak(generator.Pak).PutJsonAsync($"/api/v1/stacks/{stack}", Body(stack, new string('n', 256), generator.Id))).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_stack");
        var clash = await (await api.WithPak(generator.Pak).PutJsonAsync($"/api/v1/stacks/{stack}", Body(stack, taken, generator.Id))).ShouldFailAsync(HttpStatusCode.Conflict, "unique_violation");
        clash["details"]!.Str("constraint").ShouldBe("unique_stack_name");
    }

    [Fact]
    public async Task Put_body_shape_errors_come_first()
    {
        var stack = Guid.NewGuid();

        await (await api.Admin().PutJsonAsync($"/api/v1/stacks/{stack}", new { id = stack, name = "x" })).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await (await api.Admin().SendRawAsync(HttpMethod.Put, $"/api/v1/stacks/{stack}", "{", "application/json")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
        await (await api.Admin().SendRawAsync(HttpMethod.Put, $"/api/v1/stacks/{stack}", "{}", "text/plain")).ShouldFailAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task Stack_writes_are_audited_with_the_real_caller()
    {
        var generator = await _given.GeneratorAsync();
        var client = api.WithPak(generator.Pak);
        var stack = await (await client.PostJsonAsync("/api/v1/stacks", new { name = Scenario.Unique("s"), generator_id = generator.Id })).JsonAsync(HttpStatusCode.Created);
        var id = stack.Id();
        (await client.PutJsonAsync($"/api/v1/stacks/{id}", new { id, created_at = stack.Str("created_at"), updated_at = stack.Str("updated_at"), name = "renamed" + id, generator_id = generator.Id }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.DeleteAsync($"/api/v1/stacks/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var entries = await api.QueryAsync<string>(
            "SELECT action || ' ' || actor_type || ' ' || coalesce(actor_id::text, '-') || ' ' || coalesce(details::text, '-') FROM audit_logs WHERE resource_id = @id ORDER BY timestamp, action",
            ("id", id));
        entries.ShouldBe([
            $"stack.created generator {generator.Id} {{\"name\": \"{stack.Str("name")}\", \"generator_id\": \"{generator.Id}\"}}",
            $"stack.updated generator {generator.Id} {{\"name\": \"renamed{id}\"}}",
            $"stack.deleted generator {generator.Id} -",
        ]);
    }
}
