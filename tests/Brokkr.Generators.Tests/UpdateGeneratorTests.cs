using System.Net;
using System.Text.Json.Nodes;
using Brokkr.Testing;

namespace Brokkr.Generators.Tests;

public sealed class UpdateGeneratorTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private async Task<JsonObject> CurrentAsync(Guid id)
        => (await (await api.Admin().GetAsync($"/api/v1/generators/{id}")).JsonAsync(HttpStatusCode.OK)).AsObject();

    [Fact]
    public async Task Given_admin_then_name_description_and_is_active_are_applied()
    {
        var generator = await new Scenario(api).GeneratorAsync();
        var before = await CurrentAsync(generator.Id);
        var body = before.DeepClone().AsObject();
        var name = Scenario.Unique("renamed");
        body["name"] = name;
        body["description"] = "now described";
        body["is_active"] = false;

        var updated = await (await api.Admin().PutJsonAsync($"/api/v1/generators/{generator.Id}", body.ToJsonString())).JsonAsync(HttpStatusCode.OK);

        updated.Keys().ShouldBe(Support.GeneratorKeys);
        updated.Str("name").ShouldBe(name);
        updated.Str("description").ShouldBe("now described");
        updated["is_active"]!.GetValue<bool>().ShouldBeFalse();
        updated.Str("created_at").ShouldBe(before.Str("created_at"));
        DateTime.Parse(updated.Str("updated_at")).ShouldBeGreaterThanOrEqualTo(DateTime.Parse(before.Str("updated_at")));
        (await CurrentAsync(generator.Id)).ToJsonString().ShouldBe(updated.ToJsonString());
    }

    [Fact]
    public async Task Given_the_generator_itself_then_it_can_update_its_record_and_its_pak_keeps_working()
    {
        var callers = await Callers.CreateAsync(api);
        var body = await CurrentAsync(callers.OwnId);
        body["name"] = Scenario.Unique("self");

        var updated = await (await callers.Own.PutJsonAsync($"/api/v1/generators/{callers.OwnId}", body.ToJsonString())).JsonAsync(HttpStatusCode.OK);

        updated.Str("name").ShouldBe(body.Str("name"));
        await api.ShouldAuthenticateAsGeneratorAsync(callers.OwnPak, callers.OwnId);
    }

    [Fact]
    public async Task Given_server_owned_fields_in_the_body_then_they_are_ignored()
    {
        var generator = await new Scenario(api).GeneratorAsync();
        var before = await CurrentAsync(generator.Id);
        var body = before.DeepClone().AsObject();
        body["id"] = Guid.NewGuid().ToString();
        body["created_at"] = "2000-01-01T00:00:00Z";
        body["updated_at"] = "2000-01-01T00:00:00Z";
        body["deleted_at"] = "2000-01-01T00:00:00Z";
        body["last_active_at"] = "2000-01-01T00:00:00+02:00";
        body["pak_hash"] = new string('0', 64);

        var updated = await (await api.Admin().PutJsonAsync($"/api/v1/generators/{generator.Id}", body.ToJsonString())).JsonAsync(HttpStatusCode.OK);

        updated.Id().ShouldBe(generator.Id);
        updated.Str("created_at").ShouldBe(before.Str("created_at"));
        updated.Str("updated_at").ShouldNotStartWith("2000");
        updated["deleted_at"].ShouldBeNull();
        updated["last_active_at"].ShouldBeNull();
        await api.ShouldAuthenticateAsGeneratorAsync(generator.Pak, generator.Id);
        (await api.Admin().GetAsync($"/api/v1/generators/{generator.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Given_only_the_required_keys_then_the_description_is_kept_as_in_the_reference()
    {
        var generator = await new Scenario(api).GeneratorAsync();
        var before = await CurrentAsync(generator.Id);
        var describe = before.DeepClone().AsObject();
        describe["description"] = "kept";
        await (await api.Admin().PutJsonAsync($"/api/v1/generators/{generator.Id}", describe.ToJsonString())).JsonAsync(HttpStatusCode.OK);
        var minimal = new JsonObject
        {
            ["id"] = generator.Id.ToString(),
            ["name"] = before.Str("name"),
            ["created_at"] = before.Str("created_at"),
            ["updated_at"] = before.Str("updated_at"),
            ["is_active"] = true,
            ["is_system"] = false,
        };

        var updated = await (await api.Admin().PutJsonAsync($"/api/v1/generators/{generator.Id}", minimal.ToJsonString())).JsonAsync(HttpStatusCode.OK);

        updated.Str("description").ShouldBe("kept");
    }

    [Fact]
    public async Task Given_is_system_changed_by_the_generator_itself_then_it_is_refused_and_nothing_changes()
    {
        var callers = await Callers.CreateAsync(api);
        var before = await CurrentAsync(callers.OwnId);
        var body = before.DeepClone().AsObject();
        body["is_system"] = true;
        body["name"] = Scenario.Unique("hijack");

        var error = await (await callers.Own.PutJsonAsync($"/api/v1/generators/{callers.OwnId}", body.ToJsonString())).ShouldFailAsync(HttpStatusCode.BadRequest, "immutable_field");

        error["details"]!["field"]!.GetValue<string>().ShouldBe("is_system");
        (await CurrentAsync(callers.OwnId)).ToJsonString().ShouldBe(before.ToJsonString());
        (await api.ScalarAsync<long>("SELECT count(*) FROM generators WHERE is_system")).ShouldBe(1);
        (await api.AuditAsync("generator.updated", callers.OwnId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_is_system_changed_by_admin_then_it_is_refused_too()
    {
        var generator = await new Scenario(api).GeneratorAsync();
        var body = await CurrentAsync(generator.Id);
        body["is_system"] = true;
        var system = await api.SystemGeneratorIdAsync();
        var systemBody = await CurrentAsync(system);
        systemBody["is_system"] = false;

        await (await api.Admin().PutJsonAsync($"/api/v1/generators/{generator.Id}", body.ToJsonString())).ShouldFailAsync(HttpStatusCode.BadRequest, "immutable_field");
        await (await api.Admin().PutJsonAsync($"/api/v1/generators/{system}", systemBody.ToJsonString())).ShouldFailAsync(HttpStatusCode.BadRequest, "immutable_field");
        (await CurrentAsync(system))["is_system"]!.GetValue<bool>().ShouldBeTrue();
        (await CurrentAsync(generator.Id))["is_system"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task Given_unchanged_is_system_on_the_system_generator_then_admin_may_update_it()
    {
        var system = await api.SystemGeneratorIdAsync();
        var body = await CurrentAsync(system);
        body["description"] = "fleet-wide stacks";

        var updated = await (await api.Admin().PutJsonAsync($"/api/v1/generators/{system}", body.ToJsonString())).JsonAsync(HttpStatusCode.OK);

        updated["is_system"]!.GetValue<bool>().ShouldBeTrue();
        updated.Str("description").ShouldBe("fleet-wide stacks");
    }

    [Fact]
    public async Task Given_an_update_then_generator_updated_is_audited_with_the_caller_as_actor()
    {
        var callers = await Callers.CreateAsync(api);
        var body = await CurrentAsync(callers.OwnId);
        var name = Scenario.Unique("audited");
        body["name"] = name;
        await (await callers.Own.PutJsonAsync($"/api/v1/generators/{callers.OwnId}", body.ToJsonString())).JsonAsync(HttpStatusCode.OK);
        body["name"] = name + "-admin";
        await (await callers.Admin.PutJsonAsync($"/api/v1/generators/{callers.OwnId}", body.ToJsonString())).JsonAsync(HttpStatusCode.OK);

        var entries = await api.AuditAsync("generator.updated", callers.OwnId);

        entries.Count.ShouldBe(2);
        entries[0].ActorType.ShouldBe("generator");
        entries[0].ActorId.ShouldBe(callers.OwnId);
        entries[0].ResourceType.ShouldBe("generator");
        entries[0].Details!.ToJsonString().ShouldBe($$"""{"name":"{{name}}"}""");
        entries[1].ActorType.ShouldBe("admin");
        entries[1].ActorId.ShouldBeNull();
    }

    [Fact]
    public async Task Given_other_callers_then_generator_not_owned_before_the_lookup()
    {
        var callers = await Callers.CreateAsync(api);
        var body = (await CurrentAsync(callers.OwnId)).ToJsonString();
        var unknown = Guid.NewGuid();

        await (await callers.None.PutJsonAsync($"/api/v1/generators/{callers.OwnId}", body)).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await callers.Other.PutJsonAsync($"/api/v1/generators/{callers.OwnId}", body)).ShouldFailAsync(HttpStatusCode.Forbidden, "generator_not_owned");
        await (await callers.Agent.PutJsonAsync($"/api/v1/generators/{callers.OwnId}", body)).ShouldFailAsync(HttpStatusCode.Forbidden, "generator_not_owned");
        await (await callers.Other.PutJsonAsync($"/api/v1/generators/{unknown}", body)).ShouldFailAsync(HttpStatusCode.Forbidden, "generator_not_owned");
    }

    [Fact]
    public async Task Given_unknown_or_deleted_generator_then_404_not_found()
    {
        var generator = await new Scenario(api).GeneratorAsync();
        var body = (await CurrentAsync(generator.Id)).ToJsonString();
        (await api.Admin().DeleteAsync($"/api/v1/generators/{generator.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await api.Admin().PutJsonAsync($"/api/v1/generators/{Guid.NewGuid()}", body)).ShouldFailAsync(HttpStatusCode.NotFound, "not_found");
        await (await api.Admin().PutJsonAsync($"/api/v1/generators/{generator.Id}", body)).ShouldFailAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Given_a_bad_body_then_the_body_error_comes_before_ownership()
    {
        var callers = await Callers.CreateAsync(api);
        var url = $"/api/v1/generators/{callers.OwnId}";

        await (await callers.Other.PutJsonAsync(url, "{\"name\":")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
        await (await callers.Other.PutJsonAsync(url, """{"name":"x"}""")).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await (await callers.Other.SendRawAsync(HttpMethod.Put, url, "{}", "text/plain")).ShouldFailAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Theory]
    [InlineData("id")]
    [InlineData("name")]
    [InlineData("created_at")]
    [InlineData("updated_at")]
    [InlineData("is_active")]
    [InlineData("is_system")]
    public async Task Given_a_required_key_missing_then_422(string key)
    {
        var generator = await new Scenario(api).GeneratorAsync();
        var body = await CurrentAsync(generator.Id);
        body.Remove(key);

        await (await api.Admin().PutJsonAsync($"/api/v1/generators/{generator.Id}", body.ToJsonString())).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
    }

    [Theory]
    [InlineData("created_at", "\"2024-01-01T00:00:00\"")]
    [InlineData("is_active", "\"true\"")]
    [InlineData("name", "null")]
    [InlineData("id", "\"nope\"")]
    public async Task Given_a_key_of_the_wrong_type_then_422(string key, string json)
    {
        var generator = await new Scenario(api).GeneratorAsync();
        var body = await CurrentAsync(generator.Id);
        body[key] = JsonNode.Parse(json);

        await (await api.Admin().PutJsonAsync($"/api/v1/generators/{generator.Id}", body.ToJsonString())).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task Given_blank_name_then_400_invalid_generator(string name)
    {
        var generator = await new Scenario(api).GeneratorAsync();
        var body = await CurrentAsync(generator.Id);
        body["name"] = name;

        await (await api.Admin().PutJsonAsync($"/api/v1/generators/{generator.Id}", body.ToJsonString())).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_generator");
    }

    [Fact]
    public async Task Given_name_over_255_characters_then_400_invalid_generator()
    {
        var generator = await new Scenario(api).GeneratorAsync();
        var body = await CurrentAsync(generator.Id);
        body["name"] = new string('x', 256);

        await (await api.Admin().PutJsonAsync($"/api/v1/generators/{generator.Id}", body.ToJsonString())).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_generator");
    }

    [Fact]
    public async Task Given_the_name_of_another_live_generator_then_409_unique_generator_name()
    {
        var given = new Scenario(api);
        var taken = Scenario.Unique("taken");
        await given.GeneratorAsync(taken);
        var generator = await given.GeneratorAsync();
        var body = await CurrentAsync(generator.Id);
        body["name"] = taken;

        var error = await (await api.Admin().PutJsonAsync($"/api/v1/generators/{generator.Id}", body.ToJsonString())).ShouldFailAsync(HttpStatusCode.Conflict, "unique_violation");

        error["details"]!["constraint"]!.GetValue<string>().ShouldBe("unique_generator_name");
    }

    [Fact]
    public async Task Given_sql_looking_name_then_it_is_stored_verbatim()
    {
        var generator = await new Scenario(api).GeneratorAsync();
        var body = await CurrentAsync(generator.Id);
        var name = "'; UPDATE generators SET is_system = true; --" + Guid.NewGuid().ToString("N")[..6];
        body["name"] = name;

        await (await api.Admin().PutJsonAsync($"/api/v1/generators/{generator.Id}", body.ToJsonString())).JsonAsync(HttpStatusCode.OK);

        (await CurrentAsync(generator.Id)).Str("name").ShouldBe(name);
        (await api.ScalarAsync<long>("SELECT count(*) FROM generators WHERE is_system")).ShouldBe(1);
    }

    [Fact]
    public async Task Given_bad_uuid_in_path_then_400()
    {
        var generator = await new Scenario(api).GeneratorAsync();
        var body = (await CurrentAsync(generator.Id)).ToJsonString();

        (await api.Admin().PutJsonAsync("/api/v1/generators/not-a-uuid", body)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
