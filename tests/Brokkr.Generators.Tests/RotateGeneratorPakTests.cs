using System.Net;
using Brokkr.Testing;

namespace Brokkr.Generators.Tests;

public sealed class RotateGeneratorPakTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    [Fact]
    public async Task Given_the_generator_itself_then_rotation_answers_201_and_only_the_new_pak_works()
    {
        var generator = await new Scenario(api).GeneratorAsync();
        await api.ShouldAuthenticateAsGeneratorAsync(generator.Pak, generator.Id);

        var body = await (await api.WithPak(generator.Pak).PostAsync($"/api/v1/generators/{generator.Id}/rotate-pak", null)).JsonAsync(HttpStatusCode.Created);

        body.Keys().ShouldBe(["generator", "pak"]);
        body["generator"].Keys().ShouldBe(Support.GeneratorKeys);
        body["generator"]!.Id().ShouldBe(generator.Id);
        var pak = body.Str("pak");
        pak.ShouldNotBe(generator.Pak);
        await api.ShouldBeRefusedAsync(generator.Pak);
        await api.ShouldAuthenticateAsGeneratorAsync(pak, generator.Id);
        (await api.WithPak(pak).GetAsync($"/api/v1/generators/{generator.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Given_admin_then_it_rotates_any_generator_pak()
    {
        var generator = await new Scenario(api).GeneratorAsync();
        await api.ShouldAuthenticateAsGeneratorAsync(generator.Pak, generator.Id);

        var body = await (await api.Admin().PostAsync($"/api/v1/generators/{generator.Id}/rotate-pak", null)).JsonAsync(HttpStatusCode.Created);

        await api.ShouldBeRefusedAsync(generator.Pak);
        await api.ShouldAuthenticateAsGeneratorAsync(body.Str("pak"), generator.Id);
    }

    [Fact]
    public async Task Given_rotations_then_pak_rotated_is_audited_with_the_caller_as_actor()
    {
        var generator = await new Scenario(api).GeneratorAsync();
        var rotated = await (await api.WithPak(generator.Pak).PostAsync($"/api/v1/generators/{generator.Id}/rotate-pak", null)).JsonAsync(HttpStatusCode.Created);
        await (await api.Admin().PostAsync($"/api/v1/generators/{generator.Id}/rotate-pak", null)).JsonAsync(HttpStatusCode.Created);

        var entries = await api.AuditAsync("pak.rotated", generator.Id);

        entries.Count.ShouldBe(2);
        entries[0].ActorType.ShouldBe("generator");
        entries[0].ActorId.ShouldBe(generator.Id);
        entries[0].ResourceType.ShouldBe("generator");
        entries[0].Details!.ToJsonString().ShouldBe($$"""{"generator_name":"{{rotated["generator"]!.Str("name")}}"}""");
        entries[1].ActorType.ShouldBe("admin");
        entries[1].ActorId.ShouldBeNull();
    }

    [Fact]
    public async Task Given_other_callers_then_generator_not_owned_before_the_lookup_and_the_pak_is_unchanged()
    {
        var callers = await Callers.CreateAsync(api);
        var url = $"/api/v1/generators/{callers.OwnId}/rotate-pak";

        await (await callers.None.PostAsync(url, null)).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await callers.Other.PostAsync(url, null)).ShouldFailAsync(HttpStatusCode.Forbidden, "generator_not_owned");
        await (await callers.Agent.PostAsync(url, null)).ShouldFailAsync(HttpStatusCode.Forbidden, "generator_not_owned");
        await (await callers.Other.PostAsync($"/api/v1/generators/{Guid.NewGuid()}/rotate-pak", null)).ShouldFailAsync(HttpStatusCode.Forbidden, "generator_not_owned");
        await api.ShouldAuthenticateAsGeneratorAsync(callers.OwnPak, callers.OwnId);
    }

    [Fact]
    public async Task Given_unknown_or_deleted_generator_then_404()
    {
        var generator = await new Scenario(api).GeneratorAsync();
        (await api.Admin().DeleteAsync($"/api/v1/generators/{generator.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await api.Admin().PostAsync($"/api/v1/generators/{Guid.NewGuid()}/rotate-pak", null)).ShouldFailAsync(HttpStatusCode.NotFound, "generator_not_found");
        await (await api.Admin().PostAsync($"/api/v1/generators/{generator.Id}/rotate-pak", null)).ShouldFailAsync(HttpStatusCode.NotFound, "generator_not_found");
    }

    [Fact]
    public async Task Given_the_system_generator_then_it_gets_no_pak()
    {
        var system = await api.SystemGeneratorIdAsync();

        await (await api.Admin().PostAsync($"/api/v1/generators/{system}/rotate-pak", null)).ShouldFailAsync(HttpStatusCode.Forbidden, "cannot_rotate_system_generator");

        (await api.ScalarAsync<string>("SELECT pak_hash FROM generators WHERE id = $1", system)).ShouldBeNull();
    }

    [Fact]
    public async Task Given_bad_uuid_in_path_then_400()
    {
        (await api.Admin().PostAsync("/api/v1/generators/nope/rotate-pak", null)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
