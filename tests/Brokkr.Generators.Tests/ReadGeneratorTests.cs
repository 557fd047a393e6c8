using System.Net;
using System.Text.Json.Nodes;
using Brokkr.Testing;

namespace Brokkr.Generators.Tests;

public sealed class ReadGeneratorTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    [Fact]
    public async Task Given_admin_then_generators_are_listed_in_creation_order_without_the_system_generator()
    {
        var given = new Scenario(api);
        var first = await given.GeneratorAsync();
        var second = await given.GeneratorAsync();
        var deleted = await given.GeneratorAsync();
        (await api.Admin().DeleteAsync($"/api/v1/generators/{deleted.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var list = (await (await api.Admin().GetAsync("/api/v1/generators")).JsonAsync(HttpStatusCode.OK)).AsArray();

        var ids = list.Select(g => g!.Id()).ToList();
        ids.ShouldNotContain(await api.SystemGeneratorIdAsync());
        ids.ShouldNotContain(deleted.Id);
        ids.IndexOf(first.Id).ShouldBeLessThan(ids.IndexOf(second.Id));
        ids.IndexOf(first.Id).ShouldBeGreaterThanOrEqualTo(0);
        list.Select(g => g!.Str("name")).ShouldContain("admin-generator");
        list.Select(g => DateTime.Parse(g!.Str("created_at"))).ShouldBeInOrder();
        list.ShouldAllBe(g => g!["is_system"]!.GetValue<bool>() == false);
        foreach (var generator in list)
        {
            generator.Keys().ShouldBe(Support.GeneratorKeys);
        }
    }

    [Fact]
    public async Task Given_non_admin_callers_then_the_generator_list_is_refused()
    {
        var callers = await Callers.CreateAsync(api);

        await (await callers.None.GetAsync("/api/v1/generators")).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await callers.Own.GetAsync("/api/v1/generators")).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        await (await callers.Agent.GetAsync("/api/v1/generators")).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
    }

    [Fact]
    public async Task Given_limit_and_offset_then_the_list_is_paged_in_the_same_order()
    {
        var given = new Scenario(api);
        await given.GeneratorAsync();
        await given.GeneratorAsync();
        var all = (await (await api.Admin().GetAsync("/api/v1/generators")).JsonAsync(HttpStatusCode.OK)).AsArray().Select(g => g!.Id()).ToList();

        var page = (await (await api.Admin().GetAsync("/api/v1/generators?limit=1&offset=1")).JsonAsync(HttpStatusCode.OK)).AsArray();
        var beyond = (await (await api.Admin().GetAsync($"/api/v1/generators?offset={all.Count}")).JsonAsync(HttpStatusCode.OK)).AsArray();

        page.Select(g => g!.Id()).ShouldBe([all[1]]);
        beyond.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("limit=-5")]
    [InlineData("offset=-1")]
    [InlineData("limit=abc")]
    [InlineData("offset=1.5")]
    [InlineData("limit=99999999999")]
    public async Task Given_bad_paging_parameters_then_400(string query)
    {
        var error = await (await api.Admin().GetAsync($"/api/v1/generators?{query}")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");

        error["details"]!.Str("parameter").ShouldBe(query.Split('=')[0]);
    }

    [Fact]
    public async Task Given_bad_paging_from_a_non_admin_then_400_before_the_caller_check()
    {
        var callers = await Callers.CreateAsync(api);

        await (await callers.Own.GetAsync("/api/v1/generators?limit=0")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");
        await (await callers.Agent.GetAsync("/api/v1/generators?offset=x")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");
    }

    [Fact]
    public async Task Given_admin_then_paks_lists_tenants_as_id_and_name_only()
    {
        var given = new Scenario(api);
        var first = await given.GeneratorAsync();
        var second = await given.GeneratorAsync();
        var deleted = await given.GeneratorAsync();
        (await api.Admin().DeleteAsync($"/api/v1/generators/{deleted.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var list = (await (await api.Admin().GetAsync("/api/v1/paks")).JsonAsync(HttpStatusCode.OK)).AsArray();

        foreach (var pak in list)
        {
            pak.Keys().ShouldBe(["id", "name"]);
        }

        var ids = list.Select(p => p!.Id()).ToList();
        ids.ShouldNotContain(await api.SystemGeneratorIdAsync());
        ids.ShouldNotContain(deleted.Id);
        ids.IndexOf(first.Id).ShouldBeGreaterThanOrEqualTo(0);
        ids.IndexOf(first.Id).ShouldBeLessThan(ids.IndexOf(second.Id));
        list.Select(p => p!.Str("name")).ShouldContain("admin-generator");
        list.Select(p => p!.Str("name")).ShouldNotContain("__system__");
    }

    [Fact]
    public async Task Given_non_admin_callers_then_paks_is_refused()
    {
        var callers = await Callers.CreateAsync(api);

        await (await callers.None.GetAsync("/api/v1/paks")).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await callers.Own.GetAsync("/api/v1/paks")).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        await (await callers.Agent.GetAsync("/api/v1/paks")).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
    }

    [Fact]
    public async Task Given_admin_or_the_generator_itself_then_it_can_be_read()
    {
        var callers = await Callers.CreateAsync(api);

        var byAdmin = await (await callers.Admin.GetAsync($"/api/v1/generators/{callers.OwnId}")).JsonAsync(HttpStatusCode.OK);
        var bySelf = await (await callers.Own.GetAsync($"/api/v1/generators/{callers.OwnId}")).JsonAsync(HttpStatusCode.OK);

        byAdmin.Keys().ShouldBe(Support.GeneratorKeys);
        byAdmin.Id().ShouldBe(callers.OwnId);
        byAdmin["deleted_at"].ShouldBeNull();
        bySelf.ToJsonString().ShouldBe(byAdmin.ToJsonString());
        bySelf.ToJsonString().ShouldNotContain("pak");
    }

    [Fact]
    public async Task Given_other_callers_then_generator_not_owned_before_any_lookup()
    {
        var callers = await Callers.CreateAsync(api);
        var unknown = Guid.NewGuid();

        await (await callers.None.GetAsync($"/api/v1/generators/{callers.OwnId}")).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await callers.Other.GetAsync($"/api/v1/generators/{callers.OwnId}")).ShouldFailAsync(HttpStatusCode.Forbidden, "generator_not_owned");
        await (await callers.Agent.GetAsync($"/api/v1/generators/{callers.OwnId}")).ShouldFailAsync(HttpStatusCode.Forbidden, "generator_not_owned");
        await (await callers.Other.GetAsync($"/api/v1/generators/{unknown}")).ShouldFailAsync(HttpStatusCode.Forbidden, "generator_not_owned");
        await (await callers.Agent.GetAsync($"/api/v1/generators/{unknown}")).ShouldFailAsync(HttpStatusCode.Forbidden, "generator_not_owned");
    }

    [Fact]
    public async Task Given_unknown_or_deleted_generator_then_admin_gets_404()
    {
        var deleted = await new Scenario(api).GeneratorAsync();
        (await api.Admin().DeleteAsync($"/api/v1/generators/{deleted.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await api.Admin().GetAsync($"/api/v1/generators/{Guid.NewGuid()}")).ShouldFailAsync(HttpStatusCode.NotFound, "generator_not_found");
        await (await api.Admin().GetAsync($"/api/v1/generators/{deleted.Id}")).ShouldFailAsync(HttpStatusCode.NotFound, "generator_not_found");
    }

    [Fact]
    public async Task Given_admin_then_the_system_generator_can_be_read_by_id()
    {
        var system = await api.SystemGeneratorIdAsync();

        var body = await (await api.Admin().GetAsync($"/api/v1/generators/{system}")).JsonAsync(HttpStatusCode.OK);

        body.Str("name").ShouldBe("__system__");
        body["is_system"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("123")]
    [InlineData("%27%20OR%201%3D1")]
    public async Task Given_bad_uuid_in_path_then_400(string id)
    {
        var response = await api.Admin().GetAsync($"/api/v1/generators/{id}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Given_uuid_in_other_accepted_forms_then_the_generator_is_found()
    {
        var generator = await new Scenario(api).GeneratorAsync();

        (await api.Admin().GetAsync($"/api/v1/generators/{generator.Id:N}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.Admin().GetAsync($"/api/v1/generators/{generator.Id.ToString().ToUpperInvariant()}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
