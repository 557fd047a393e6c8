using System.Net;
using Brokkr.Testing;

namespace Brokkr.Generators.Tests;

public sealed class DeleteGeneratorTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    [Fact]
    public async Task Given_admin_then_the_generator_is_soft_deleted_and_its_pak_stops_working_at_once()
    {
        var generator = await new Scenario(api).GeneratorAsync();
        await api.ShouldAuthenticateAsGeneratorAsync(generator.Pak, generator.Id);

        var response = await api.Admin().DeleteAsync($"/api/v1/generators/{generator.Id}");

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await response.Content.ReadAsStringAsync()).ShouldBeEmpty();
        await api.ShouldBeRefusedAsync(generator.Pak);
        await (await api.Admin().GetAsync($"/api/v1/generators/{generator.Id}")).ShouldFailAsync(HttpStatusCode.NotFound, "generator_not_found");
        (await api.ScalarAsync<DateTime?>("SELECT deleted_at FROM generators WHERE id = $1", generator.Id)).ShouldNotBeNull();
    }

    [Fact]
    public async Task Given_the_generator_itself_then_it_can_delete_itself_and_is_audited_as_the_actor()
    {
        var generator = await new Scenario(api).GeneratorAsync();
        var self = api.WithPak(generator.Pak);
        (await self.GetAsync($"/api/v1/generators/{generator.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await self.DeleteAsync($"/api/v1/generators/{generator.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await self.GetAsync($"/api/v1/generators/{generator.Id}")).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        var entry = (await api.AuditAsync("generator.deleted", generator.Id)).ShouldHaveSingleItem();
        entry.ActorType.ShouldBe("generator");
        entry.ActorId.ShouldBe(generator.Id);
        entry.ResourceType.ShouldBe("generator");
        entry.Details.ShouldBeNull();
    }

    [Fact]
    public async Task Given_admin_deletes_then_the_audit_actor_is_admin()
    {
        var generator = await new Scenario(api).GeneratorAsync();

        (await api.Admin().DeleteAsync($"/api/v1/generators/{generator.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var entry = (await api.AuditAsync("generator.deleted", generator.Id)).ShouldHaveSingleItem();
        entry.ActorType.ShouldBe("admin");
        entry.ActorId.ShouldBeNull();
    }

    [Fact]
    public async Task Given_an_already_deleted_or_unknown_generator_then_404()
    {
        var generator = await new Scenario(api).GeneratorAsync();
        (await api.Admin().DeleteAsync($"/api/v1/generators/{generator.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await api.Admin().DeleteAsync($"/api/v1/generators/{generator.Id}")).ShouldFailAsync(HttpStatusCode.NotFound, "generator_not_found");
        await (await api.Admin().DeleteAsync($"/api/v1/generators/{Guid.NewGuid()}")).ShouldFailAsync(HttpStatusCode.NotFound, "generator_not_found");
        (await api.AuditAsync("generator.deleted", generator.Id)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Given_other_callers_then_generator_not_owned_before_the_lookup_and_nothing_is_deleted()
    {
        var callers = await Callers.CreateAsync(api);

        await (await callers.None.DeleteAsync($"/api/v1/generators/{callers.OwnId}")).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await callers.Other.DeleteAsync($"/api/v1/generators/{callers.OwnId}")).ShouldFailAsync(HttpStatusCode.Forbidden, "generator_not_owned");
        await (await callers.Agent.DeleteAsync($"/api/v1/generators/{callers.OwnId}")).ShouldFailAsync(HttpStatusCode.Forbidden, "generator_not_owned");
        await (await callers.Other.DeleteAsync($"/api/v1/generators/{Guid.NewGuid()}")).ShouldFailAsync(HttpStatusCode.Forbidden, "generator_not_owned");
        await api.ShouldAuthenticateAsGeneratorAsync(callers.OwnPak, callers.OwnId);
    }

    [Fact]
    public async Task Given_the_system_generator_then_it_cannot_be_deleted()
    {
        var system = await api.SystemGeneratorIdAsync();
        var other = await new Scenario(api).GeneratorAsync();

        await (await api.Admin().DeleteAsync($"/api/v1/generators/{system}")).ShouldFailAsync(HttpStatusCode.Forbidden, "cannot_delete_system_generator");
        await (await api.WithPak(other.Pak).DeleteAsync($"/api/v1/generators/{system}")).ShouldFailAsync(HttpStatusCode.Forbidden, "generator_not_owned");
        (await api.ScalarAsync<DateTime?>("SELECT deleted_at FROM generators WHERE id = $1", system)).ShouldBeNull();
    }

    [Fact]
    public async Task Given_bad_uuid_in_path_then_400()
    {
        (await api.Admin().DeleteAsync("/api/v1/generators/not-a-uuid")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}

/// <summary>Deleting <c>admin-generator</c> changes this class's database for good, so it has its own.</summary>
public sealed class AdminGeneratorTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    [Fact]
    public async Task Given_admin_generator_deleted_then_the_admin_pak_still_works()
    {
        var adminGenerator = await api.ScalarAsync<Guid>("SELECT id FROM generators WHERE name = 'admin-generator' AND deleted_at IS NULL");
        (await api.Admin().GetAsync("/api/v1/generators")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await api.Admin().DeleteAsync($"/api/v1/generators/{adminGenerator}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var me = await (await api.Admin().PostAsync("/api/v1/auth/pak", null)).JsonAsync(HttpStatusCode.OK);
        me.ToJsonString().ShouldBe("""{"admin":true,"agent":null,"generator":null,"readonly":false}""");
        var list = await (await api.Admin().GetAsync("/api/v1/generators")).JsonAsync(HttpStatusCode.OK);
        list.AsArray().Select(g => g!.Id()).ShouldNotContain(adminGenerator);
        (await api.Admin().PostJsonAsync("/api/v1/generators", new { name = Scenario.Unique("after") })).StatusCode.ShouldBe(HttpStatusCode.Created);
    }
}
