namespace Brokkr.Templates.Tests;

/// <summary>Who may call what on templates (details §3.3): system templates versus a generator's own.</summary>
public sealed class IdentityMatrixTests(TemplateWorld world) : IClassFixture<TemplateWorld>
{
    [Theory]
    [InlineData(Identity.None, 401, "unauthorized")]
    [InlineData(Identity.Admin, 200, null)]
    [InlineData(Identity.OwnerGenerator, 200, null)]
    [InlineData(Identity.OtherGenerator, 200, null)]
    [InlineData(Identity.Agent, 403, "templates_not_accessible")]
    public async Task List_is_refused_only_to_agents(Identity identity, int status, string? code)
        => await (await world.As(identity).GetAsync("/api/v1/templates")).ExpectAsync(status, code);

    [Theory]
    [InlineData(Identity.Admin, true, true)]
    [InlineData(Identity.OwnerGenerator, true, true)]
    [InlineData(Identity.OtherGenerator, true, false)]
    public async Task List_shows_generators_the_system_templates_and_their_own(Identity identity, bool seesSystem, bool seesOwn)
    {
        var ids = (await (await world.As(identity).GetAsync("/api/v1/templates")).ArrayAsync()).Ids();

        ids.Contains(world.SystemTemplate).ShouldBe(seesSystem);
        ids.Contains(world.OwnTemplate).ShouldBe(seesOwn);
    }

    [Theory]
    [InlineData(Identity.None, 401, "unauthorized")]
    [InlineData(Identity.Agent, 403, "templates_not_accessible")]
    public async Task Create_is_refused_to_agents_and_anonymous_callers(Identity identity, int status, string code)
        => await (await world.As(identity).PostJsonAsync("/api/v1/templates", TemplateWire.Body())).ExpectAsync(status, code);

    [Theory]
    [InlineData(Identity.None, true, 401, "unauthorized")]
    [InlineData(Identity.Admin, true, 200, null)]
    [InlineData(Identity.OwnerGenerator, true, 200, null)]
    [InlineData(Identity.OtherGenerator, true, 200, null)]
    [InlineData(Identity.Agent, true, 403, "template_not_accessible")]
    [InlineData(Identity.None, false, 401, "unauthorized")]
    [InlineData(Identity.Admin, false, 200, null)]
    [InlineData(Identity.OwnerGenerator, false, 200, null)]
    [InlineData(Identity.OtherGenerator, false, 403, "template_not_accessible")]
    [InlineData(Identity.Agent, false, 403, "template_not_accessible")]
    public async Task Reads_by_id_follow_read_access(Identity identity, bool system, int status, string? code)
    {
        var client = world.As(identity);
        var id = world.Template(system);

        await (await client.GetAsync($"/api/v1/templates/{id}")).ExpectAsync(status, code);
        await (await client.GetAsync($"/api/v1/templates/{id}/labels")).ExpectAsync(status, code);
        await (await client.GetAsync($"/api/v1/templates/{id}/annotations")).ExpectAsync(status, code);
    }

    [Theory]
    [InlineData(Identity.None, true, 401, "unauthorized")]
    [InlineData(Identity.OwnerGenerator, true, 403, "template_not_owned")]
    [InlineData(Identity.OtherGenerator, true, 403, "template_not_owned")]
    [InlineData(Identity.Agent, true, 403, "template_not_owned")]
    [InlineData(Identity.None, false, 401, "unauthorized")]
    [InlineData(Identity.OtherGenerator, false, 403, "template_not_owned")]
    [InlineData(Identity.Agent, false, 403, "template_not_owned")]
    public async Task Writes_are_refused_to_everyone_but_admin_and_the_owner(Identity identity, bool system, int status, string? code)
    {
        var client = world.As(identity);
        var id = world.Template(system);

        await (await client.PutJsonAsync($"/api/v1/templates/{id}", new { template_content = "a: 1", parameters_schema = "{}" })).ExpectAsync(status, code);
        await (await client.DeleteAsync($"/api/v1/templates/{id}")).ExpectAsync(status, code);
        await (await client.PostJsonAsync($"/api/v1/templates/{id}/labels", "\"x\"")).ExpectAsync(status, code);
        await (await client.DeleteAsync($"/api/v1/templates/{id}/labels/tier:web")).ExpectAsync(status, code);
        await (await client.PostJsonAsync($"/api/v1/templates/{id}/annotations", new { key = "k", value = "v" })).ExpectAsync(status, code);
        await (await client.DeleteAsync($"/api/v1/templates/{id}/annotations/team")).ExpectAsync(status, code);

        var admin = world.Admin();
        (await admin.GetAsync($"/api/v1/templates/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await admin.GetAsync($"/api/v1/templates/{id}/labels")).ArrayAsync()).Select(l => l!.Str("label")).ShouldBe(["tier:web"]);
        (await (await admin.GetAsync($"/api/v1/templates/{id}/annotations")).ArrayAsync()).Select(a => a!.Str("key")).ShouldBe(["team"]);
    }

    [Theory]
    [InlineData(Identity.Admin, true)]
    [InlineData(Identity.Admin, false)]
    [InlineData(Identity.OwnerGenerator, false)]
    public async Task Writes_succeed_for_admin_and_the_owner(Identity identity, bool system)
    {
        var client = world.As(identity);
        var id = system
            ? (await world.Admin().CreateTemplateAsync()).Id()
            : (await world.As(Identity.OwnerGenerator).CreateTemplateAsync()).Id();

        (await client.PostJsonAsync($"/api/v1/templates/{id}/labels", "\"x\"")).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await client.DeleteAsync($"/api/v1/templates/{id}/labels/x")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await client.PostJsonAsync($"/api/v1/templates/{id}/annotations", new { key = "k", value = "v" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await client.DeleteAsync($"/api/v1/templates/{id}/annotations/k")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var next = await (await client.PutJsonAsync($"/api/v1/templates/{id}", new { template_content = "a: 1", parameters_schema = "{}" })).JsonAsync(HttpStatusCode.OK);
        (await client.DeleteAsync($"/api/v1/templates/{next.Id()}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await client.DeleteAsync($"/api/v1/templates/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Theory]
    [InlineData(Identity.Agent)]
    [InlineData(Identity.OtherGenerator)]
    public async Task An_unknown_template_is_404_before_any_access_check(Identity identity)
    {
        var client = world.As(identity);
        var unknown = Guid.NewGuid();

        await (await client.GetAsync($"/api/v1/templates/{unknown}")).ShouldFailAsync(HttpStatusCode.NotFound, "template_not_found");
        await (await client.GetAsync($"/api/v1/templates/{unknown}/labels")).ShouldFailAsync(HttpStatusCode.NotFound, "template_not_found");
        await (await client.DeleteAsync($"/api/v1/templates/{unknown}")).ShouldFailAsync(HttpStatusCode.NotFound, "template_not_found");
        await (await client.PostJsonAsync($"/api/v1/templates/{unknown}/labels", "\"x\"")).ShouldFailAsync(HttpStatusCode.NotFound, "template_not_found");
    }
}
