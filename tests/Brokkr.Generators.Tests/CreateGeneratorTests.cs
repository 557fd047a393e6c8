using System.Net;
using Brokkr.Testing;

namespace Brokkr.Generators.Tests;

public sealed class CreateGeneratorTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    [Fact]
    public async Task Given_admin_then_a_generator_is_created_with_its_pak_shown_once()
    {
        var name = Scenario.Unique("gen");

        var body = await (await api.Admin().PostJsonAsync("/api/v1/generators", new { name, description = "ci pipeline" })).JsonAsync(HttpStatusCode.Created);

        body.Keys().ShouldBe(["generator", "pak"]);
        var generator = body["generator"]!;
        generator.Keys().ShouldBe(Support.GeneratorKeys);
        generator.Str("name").ShouldBe(name);
        generator.Str("description").ShouldBe("ci pipeline");
        generator["deleted_at"].ShouldBeNull();
        generator["last_active_at"].ShouldBeNull();
        generator["is_active"]!.GetValue<bool>().ShouldBeTrue();
        generator["is_system"]!.GetValue<bool>().ShouldBeFalse();
        generator.Str("created_at").ShouldEndWith("Z");
        body.Str("pak").ShouldStartWith("brokkr_BR");
        await api.ShouldAuthenticateAsGeneratorAsync(body.Str("pak"), generator.Id());
    }

    [Fact]
    public async Task Given_no_description_then_it_is_null_not_omitted()
    {
        var body = await (await api.Admin().PostJsonAsync("/api/v1/generators", new { name = Scenario.Unique("gen") })).JsonAsync(HttpStatusCode.Created);

        body["generator"]!.AsObject().ContainsKey("description").ShouldBeTrue();
        body["generator"]!["description"].ShouldBeNull();
    }

    [Fact]
    public async Task Given_creation_then_generator_created_and_pak_created_are_audited_as_admin()
    {
        var name = Scenario.Unique("gen");
        var body = await (await api.Admin().PostJsonAsync("/api/v1/generators", new { name })).JsonAsync(HttpStatusCode.Created);
        var id = body["generator"]!.Id();

        var created = (await api.AuditAsync("generator.created", id)).ShouldHaveSingleItem();
        created.ActorType.ShouldBe("admin");
        created.ActorId.ShouldBeNull();
        created.ResourceType.ShouldBe("generator");
        created.Details!.ToJsonString().ShouldBe($$"""{"name":"{{name}}"}""");
        var pak = (await api.AuditAsync("pak.created", id)).ShouldHaveSingleItem();
        pak.ActorType.ShouldBe("admin");
        pak.ResourceType.ShouldBe("pak");
        pak.Details!["entity"]!.GetValue<string>().ShouldBe("generator");
        pak.Details!["name"]!.GetValue<string>().ShouldBe(name);
    }

    [Fact]
    public async Task Given_non_admin_callers_then_creation_is_refused()
    {
        var callers = await Callers.CreateAsync(api);
        var body = new { name = Scenario.Unique("gen") };

        await (await callers.None.PostJsonAsync("/api/v1/generators", body)).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await callers.Own.PostJsonAsync("/api/v1/generators", body)).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        await (await callers.Agent.PostJsonAsync("/api/v1/generators", body)).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public async Task Given_blank_name_then_400_invalid_generator(string name)
    {
        await (await api.Admin().PostJsonAsync("/api/v1/generators", new { name })).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_generator");
    }

    [Fact]
    public async Task Given_name_over_255_characters_then_400_invalid_generator()
    {
        await (await api.Admin().PostJsonAsync("/api/v1/generators", new { name = new string('n', 256) })).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_generator");
        await (await api.Admin().PostJsonAsync("/api/v1/generators", new { name = new string('n', 10_000) })).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_generator");
    }

    [Fact]
    public async Task Given_name_of_exactly_255_characters_then_it_is_accepted_even_outside_the_basic_plane()
    {
        var prefix = Scenario.Unique("g");
        var ascii = prefix + new string('n', 255 - prefix.Length);
        var emoji = string.Concat(Enumerable.Repeat("🔨", 250)) + Guid.NewGuid().ToString("N")[..5];

        (await (await api.Admin().PostJsonAsync("/api/v1/generators", new { name = ascii })).JsonAsync(HttpStatusCode.Created))["generator"]!.Str("name").ShouldBe(ascii);
        (await (await api.Admin().PostJsonAsync("/api/v1/generators", new { name = emoji })).JsonAsync(HttpStatusCode.Created))["generator"]!.Str("name").ShouldBe(emoji);
    }

    [Fact]
    public async Task Given_oversize_description_then_400_invalid_generator()
    {
        await (await api.Admin().PostJsonAsync("/api/v1/generators", new { name = Scenario.Unique("gen"), description = new string('d', 4097) }))
            .ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_generator");
    }

    [Fact]
    public async Task Given_a_live_generator_with_the_name_then_409_unique_generator_name()
    {
        var name = Scenario.Unique("gen");
        await (await api.Admin().PostJsonAsync("/api/v1/generators", new { name })).JsonAsync(HttpStatusCode.Created);

        var error = await (await api.Admin().PostJsonAsync("/api/v1/generators", new { name })).ShouldFailAsync(HttpStatusCode.Conflict, "unique_violation");

        error["details"]!["constraint"]!.GetValue<string>().ShouldBe("unique_generator_name");
        (await api.ScalarAsync<long>("SELECT count(*) FROM generators WHERE name = $1", name)).ShouldBe(1);
    }

    [Fact]
    public async Task Given_a_deleted_generator_then_its_name_can_be_reused()
    {
        var name = Scenario.Unique("gen");
        var first = await new Scenario(api).GeneratorAsync(name);
        (await api.Admin().DeleteAsync($"/api/v1/generators/{first.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var second = await (await api.Admin().PostJsonAsync("/api/v1/generators", new { name })).JsonAsync(HttpStatusCode.Created);

        second["generator"]!.Id().ShouldNotBe(first.Id);
    }

    [Theory]
    [InlineData("x'); DROP TABLE generators; --")]
    [InlineData("\" OR 1=1 --")]
    [InlineData("名前 with spaces / and \\ slashes")]
    public async Task Given_sql_looking_name_then_it_is_stored_verbatim(string prefix)
    {
        var name = prefix + Guid.NewGuid().ToString("N")[..8];

        var created = await (await api.Admin().PostJsonAsync("/api/v1/generators", new { name, description = "'; DELETE FROM audit_logs; --" })).JsonAsync(HttpStatusCode.Created);

        var read = await (await api.Admin().GetAsync($"/api/v1/generators/{created["generator"]!.Id()}")).JsonAsync(HttpStatusCode.OK);
        read.Str("name").ShouldBe(name);
        read.Str("description").ShouldBe("'; DELETE FROM audit_logs; --");
        (await api.ScalarAsync<long>("SELECT count(*) FROM generators WHERE name = $1", name)).ShouldBe(1);
    }

    [Fact]
    public async Task Given_nul_character_in_name_then_4xx_not_5xx()
    {
        var response = await api.Admin().PostJsonAsync("/api/v1/generators", """{"name":"bad\u0000name"}""");

        await response.ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_text");
    }

    [Fact]
    public async Task Given_malformed_json_then_400()
    {
        await (await api.Admin().PostJsonAsync("/api/v1/generators", """{"name": """)).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
        await (await api.Admin().PostJsonAsync("/api/v1/generators", "")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
    }

    [Fact]
    public async Task Given_wrong_content_type_then_415()
    {
        await (await api.Admin().SendRawAsync(HttpMethod.Post, "/api/v1/generators", """{"name":"x"}""", "text/plain"))
            .ShouldFailAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await (await api.Admin().SendRawAsync(HttpMethod.Post, "/api/v1/generators", """{"name":"x"}""", null))
            .ShouldFailAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"name":null}""")]
    [InlineData("""{"name":42}""")]
    [InlineData("""{"Name":"case matters"}""")]
    [InlineData("[]")]
    public async Task Given_body_of_the_wrong_shape_then_422(string body)
    {
        await (await api.Admin().PostJsonAsync("/api/v1/generators", body)).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
    }

    [Fact]
    public async Task Given_body_over_2_mib_then_413()
    {
        var body = $$"""{"name":"{{new string('x', 2 * 1024 * 1024 + 10)}}"}""";

        await (await api.Admin().PostJsonAsync("/api/v1/generators", body)).ShouldFailAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task Given_unknown_keys_then_they_are_ignored()
    {
        var body = await (await api.Admin().PostJsonAsync("/api/v1/generators", new { name = Scenario.Unique("gen"), is_system = true, pak_hash = "abc" }))
            .JsonAsync(HttpStatusCode.Created);

        body["generator"]!["is_system"]!.GetValue<bool>().ShouldBeFalse();
    }
}
