using System.Diagnostics;

namespace Brokkr.Templates.Tests;

/// <summary>
/// <c>POST /stacks/{stack_id}/deployment-objects/from-template</c> (behaviour §3.5, §5; details §2.2):
/// the happy path through to an agent's target state, and every error in the documented order.
/// </summary>
public sealed class InstantiationTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private static readonly object GoodParameters = new { name = "web", replicas = 3 };

    private readonly Scenario _given = new(api);

    private async Task<(Guid Generator, HttpClient Client, Guid Stack)> StackOfNewGeneratorAsync()
    {
        var generator = await _given.GeneratorAsync();
        return (generator.Id, api.WithPak(generator.Pak), await _given.StackAsync(generator.Id));
    }

    [Fact]
    public async Task Instantiation_creates_a_revision_that_reaches_a_targeted_agent()
    {
        var (generator, client, stack) = await StackOfNewGeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator);
        await _given.TargetAsync(agent.Id, stack);
        await _given.StackLabelAsync(stack, "env:prod");
        await _given.StackAnnotationAsync(stack, "team", "a");
        var template = await client.CreateTemplateAsync();
        await client.TemplateLabelAsync(template.Id(), "env:prod");
        await client.TemplateAnnotationAsync(template.Id(), "team", "a");

        var created = await (await client.InstantiateAsync(stack, template.Id(), GoodParameters)).JsonAsync(HttpStatusCode.Created);

        created.ShouldHaveExactKeys(TemplateWire.DeploymentObjectKeys);
        created.Id("stack_id").ShouldBe(stack);
        created.Str("yaml_content").ShouldBe("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  replicas: \"3\"\n");
        created["is_deletion_marker"]!.GetValue<bool>().ShouldBeFalse();
        created["deleted_at"].ShouldBeNull();
        created.Str("yaml_checksum").Length.ShouldBe(64);
        var revisions = await (await client.GetAsync($"/api/v1/stacks/{stack}/deployment-objects")).ArrayAsync();
        revisions.Ids().ShouldBe([created.Id()]);
        var targetState = await (await api.WithPak(agent.Pak).GetAsync($"/api/v1/agents/{agent.Id}/target-state")).ArrayAsync();
        targetState.Ids().ShouldBe([created.Id()]);
        targetState[0]!.Str("yaml_content").ShouldBe(created.Str("yaml_content"));
        var provenance = await api.RowsAsync(
            "SELECT template_id, template_version, template_parameters FROM rendered_deployment_objects WHERE deployment_object_id = @id", ("id", created.Id()));
        provenance.Single()["template_id"].ShouldBe(template.Id());
        provenance.Single()["template_version"].ShouldBe(1);
        JsonNode.Parse((string)provenance.Single()["template_parameters"]!)!.ToJsonString().ShouldBe("""{"name":"web","replicas":3}""");
    }

    [Fact]
    public async Task A_generator_may_instantiate_a_system_template_and_admin_any_template()
    {
        var (_, client, stack) = await StackOfNewGeneratorAsync();
        var system = await _given.Admin.CreateTemplateAsync();
        var own = await client.CreateTemplateAsync();

        await (await client.InstantiateAsync(stack, system.Id(), GoodParameters)).JsonAsync(HttpStatusCode.Created);
        await (await _given.Admin.InstantiateAsync(stack, own.Id(), GoodParameters)).JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Instantiation_renders_the_exact_version_given()
    {
        var (_, client, stack) = await StackOfNewGeneratorAsync();
        var v1 = await client.CreateTemplateAsync(content: "v: one\n", schema: "{}");
        await (await client.PutJsonAsync($"/api/v1/templates/{v1.Id()}", new { template_content = "v: two\n", parameters_schema = "{}" })).JsonAsync(HttpStatusCode.OK);

        var created = await (await client.InstantiateAsync(stack, v1.Id(), new { })).JsonAsync(HttpStatusCode.Created);

        created.Str("yaml_content").ShouldBe("v: one\n");
    }

    [Fact]
    public async Task Unknown_stack_comes_before_everything_else()
    {
        var other = await _given.GeneratorAsync();

        await (await api.WithPak(other.Pak).InstantiateAsync(Guid.NewGuid(), Guid.NewGuid(), "not checked")).ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
    }

    [Fact]
    public async Task Deleted_stack_is_not_found()
    {
        var (_, client, stack) = await StackOfNewGeneratorAsync();
        var template = await client.CreateTemplateAsync();
        (await client.DeleteAsync($"/api/v1/stacks/{stack}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await client.InstantiateAsync(stack, template.Id(), GoodParameters)).ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
    }

    [Fact]
    public async Task Another_generators_stack_is_refused_before_the_template_is_looked_up()
    {
        var (_, _, stack) = await StackOfNewGeneratorAsync();
        var other = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync();

        await (await api.WithPak(other.Pak).InstantiateAsync(stack, Guid.NewGuid(), GoodParameters)).ShouldFailAsync(HttpStatusCode.Forbidden, "stack_not_owned");
        await (await api.WithPak(agent.Pak).InstantiateAsync(stack, Guid.NewGuid(), GoodParameters)).ShouldFailAsync(HttpStatusCode.Forbidden, "stack_not_owned");
    }

    [Fact]
    public async Task Unknown_or_deleted_template_is_404_after_the_stack_checks()
    {
        var (_, client, stack) = await StackOfNewGeneratorAsync();
        var deleted = await client.CreateTemplateAsync();
        (await client.DeleteAsync($"/api/v1/templates/{deleted.Id()}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await client.InstantiateAsync(stack, Guid.NewGuid(), GoodParameters)).ShouldFailAsync(HttpStatusCode.NotFound, "template_not_found");
        await (await client.InstantiateAsync(stack, deleted.Id(), GoodParameters)).ShouldFailAsync(HttpStatusCode.NotFound, "template_not_found");
    }

    [Fact]
    public async Task Another_generators_template_is_not_accessible_before_the_label_check()
    {
        var (_, client, stack) = await StackOfNewGeneratorAsync();
        var other = await _given.GeneratorAsync();
        var foreign = await api.WithPak(other.Pak).CreateTemplateAsync();
        await api.WithPak(other.Pak).TemplateLabelAsync(foreign.Id(), "missing-on-stack");

        await (await client.InstantiateAsync(stack, foreign.Id(), new { bad = true })).ShouldFailAsync(HttpStatusCode.Forbidden, "template_not_accessible");
    }

    [Fact]
    public async Task Missing_labels_and_annotations_are_422_with_details_before_the_parameters_are_checked()
    {
        var (_, client, stack) = await StackOfNewGeneratorAsync();
        await _given.StackLabelAsync(stack, "env:prod");
        await _given.StackAnnotationAsync(stack, "team", "a");
        await _given.StackAnnotationAsync(stack, "tier", "web");
        var template = await client.CreateTemplateAsync();
        await client.TemplateLabelAsync(template.Id(), "env:prod");
        await client.TemplateLabelAsync(template.Id(), "region:eu");
        await client.TemplateAnnotationAsync(template.Id(), "team", "b");
        await client.TemplateAnnotationAsync(template.Id(), "tier", "web");

        var error = await (await client.InstantiateAsync(stack, template.Id(), new { replicas = "not an integer" }))
            .ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "template_stack_mismatch");

        error["details"]!["missing_labels"]!.AsArray().Select(l => l!.GetValue<string>()).ShouldBe(["region:eu"]);
        error["details"]!["missing_annotations"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldBe(["team=b"]);
        (await (await client.GetAsync($"/api/v1/stacks/{stack}/deployment-objects")).ArrayAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_template_without_labels_or_annotations_matches_every_stack()
    {
        var (_, client, stack) = await StackOfNewGeneratorAsync();
        await _given.StackLabelAsync(stack, "anything");
        var template = await client.CreateTemplateAsync();

        await (await client.InstantiateAsync(stack, template.Id(), GoodParameters)).JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Parameters_failing_the_schema_are_400_with_each_error_before_rendering()
    {
        var (_, client, stack) = await StackOfNewGeneratorAsync();
        var template = await client.CreateTemplateAsync(content: "a: {{ undefined_variable }}");

        var error = await (await client.InstantiateAsync(stack, template.Id(), new { replicas = 0 })).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_parameters");

        var errors = error["details"]!["validation_errors"]!.AsArray();
        errors.Count.ShouldBeGreaterThanOrEqualTo(2);
        errors.ShouldAllBe(e => e!["path"] != null && e["message"] != null);
        errors.Select(e => e!.Str("message")).ShouldContain(m => m.Contains("name", StringComparison.Ordinal));
        errors.Select(e => e!.Str("path")).ShouldContain(p => p.Contains("replicas", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("a: {{ missing }}", "missing")]
    [InlineData("a: {{ name | upper | length + name }}", "numbers")]
    [InlineData("a: {{ throw(message=\"refused by template\") }}", "refused by template")]
    public async Task Render_failures_are_400_template_render_failed(string content, string message)
    {
        var (_, client, stack) = await StackOfNewGeneratorAsync();
        var template = await client.CreateTemplateAsync(content: content);

        var error = await (await client.InstantiateAsync(stack, template.Id(), GoodParameters)).ShouldFailAsync(HttpStatusCode.BadRequest, "template_render_failed");

        error.Str("message").ShouldContain(message);
    }

    [Theory]
    [InlineData("{{ name }}: [unclosed")]
    [InlineData("# only a comment\n")]
    [InlineData("{% if false %}a: 1{% endif %}")]
    [InlineData("~\n---\nnull\n")]
    [InlineData("a: *undefined_anchor")]
    public async Task Output_that_is_not_a_yaml_document_is_400_and_stores_nothing(string content)
    {
        var (_, client, stack) = await StackOfNewGeneratorAsync();
        var template = await client.CreateTemplateAsync(content: content);

        await (await client.InstantiateAsync(stack, template.Id(), GoodParameters)).ShouldFailAsync(HttpStatusCode.BadRequest, "template_render_failed");

        (await (await client.GetAsync($"/api/v1/stacks/{stack}/deployment-objects")).ArrayAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Output_with_a_nul_character_from_the_parameters_is_400()
    {
        var (_, client, stack) = await StackOfNewGeneratorAsync();
        var template = await client.CreateTemplateAsync(content: "a: \"{{ name }}\"", schema: "{}");

        await (await client.InstantiateAsync(stack, template.Id(), new { name = "x\u0000y" })).ShouldFailAsync(HttpStatusCode.BadRequest, "template_render_failed");
    }

    [Fact]
    public async Task Hostile_templates_fail_fast_with_a_400()
    {
        var (_, client, stack) = await StackOfNewGeneratorAsync();
        var slow = await client.CreateTemplateAsync(schema: "{}", content: "{% set s = \"xxxxxxxxxxxxxxxx\" %}{% for i in range(end=16) %}{% set_global s = s ~ s %}{% endfor %}"
            + "{% for i in range(end=99999) %}{% set t = s | replace(from=\"x\", to=\"y\") %}{% endfor %}a: 1");
        var huge = await client.CreateTemplateAsync(schema: "{}", content: "{% for i in range(end=99999) %}- xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n{% endfor %}");
        var loops = await client.CreateTemplateAsync(schema: "{}", content: "{% for a in range(end=100000) %}{% for b in range(end=100000) %}{% endfor %}{% endfor %}a: 1");

        foreach (var template in new[] { slow, huge, loops })
        {
            var watch = Stopwatch.StartNew();
            await (await client.InstantiateAsync(stack, template.Id(), new { })).ShouldFailAsync(HttpStatusCode.BadRequest, "template_render_failed");
            watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15));
        }

        (await (await client.GetAsync($"/api/v1/stacks/{stack}/deployment-objects")).ArrayAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Parameters_may_be_any_json_and_a_non_object_gives_an_empty_context()
    {
        var (_, client, stack) = await StackOfNewGeneratorAsync();
        var template = await client.CreateTemplateAsync(content: "a: static\n", schema: "{}");

        foreach (var parameters in new object?[] { null, 5, "text", new[] { 1, 2 }, new { nested = new { deep = new[] { true } } } })
        {
            await (await client.InstantiateAsync(stack, template.Id(), parameters)).JsonAsync(HttpStatusCode.Created);
        }
    }

    [Fact]
    public async Task Bad_input_is_refused_before_any_lookup()
    {
        var unknown = Guid.NewGuid();
        var url = $"/api/v1/stacks/{unknown}/deployment-objects/from-template";

        await (await _given.Admin.PostJsonAsync(url, new { template_id = unknown })).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await (await _given.Admin.PostJsonAsync(url, new { parameters = new { } })).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await (await _given.Admin.PostJsonAsync(url, new { template_id = "nope", parameters = new { } })).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await (await _given.Admin.SendRawAsync(HttpMethod.Post, url, "{\"template_id\":", "application/json")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
        await (await _given.Admin.SendRawAsync(HttpMethod.Post, url, "{}", "application/yaml")).ShouldFailAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        (await _given.Admin.PostJsonAsync("/api/v1/stacks/not-a-uuid/deployment-objects/from-template", new { template_id = unknown, parameters = new { } }))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Sql_looking_parameters_are_rendered_and_stored_verbatim()
    {
        var (_, client, stack) = await StackOfNewGeneratorAsync();
        var template = await client.CreateTemplateAsync(content: "a: \"{{ name }}\"\n", schema: "{}");

        var created = await (await client.InstantiateAsync(stack, template.Id(), new { name = "'; DROP TABLE stacks; --" })).JsonAsync(HttpStatusCode.Created);

        created.Str("yaml_content").ShouldBe("a: \"'; DROP TABLE stacks; --\"\n");
    }
}
