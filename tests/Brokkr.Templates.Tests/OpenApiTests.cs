namespace Brokkr.Templates.Tests;

/// <summary>The module's operations reach the served OpenAPI document under the reference's ids, tags and schema names.</summary>
public sealed class OpenApiTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    [Theory]
    [InlineData("/templates", "get", "list_templates", "templates")]
    [InlineData("/templates", "post", "create_template", "templates")]
    [InlineData("/templates/{id}", "get", "get_template", "templates")]
    [InlineData("/templates/{id}", "put", "update_template", "templates")]
    [InlineData("/templates/{id}", "delete", "delete_template", "templates")]
    [InlineData("/templates/{id}/labels", "get", "templates_list_labels", "templates")]
    [InlineData("/templates/{id}/labels", "post", "templates_add_label", "templates")]
    [InlineData("/templates/{id}/labels/{label}", "delete", "templates_remove_label", "templates")]
    [InlineData("/templates/{id}/annotations", "get", "templates_list_annotations", "templates")]
    [InlineData("/templates/{id}/annotations", "post", "templates_add_annotation", "templates")]
    [InlineData("/templates/{id}/annotations/{key}", "delete", "templates_remove_annotation", "templates")]
    [InlineData("/stacks/{stack_id}/deployment-objects/from-template", "post", "instantiate_template", "stacks")]
    public async Task Operation_is_documented_with_the_reference_id_and_tag(string path, string method, string operationId, string tag)
    {
        var document = await (await api.Anonymous().GetAsync("/docs/openapi.json")).JsonAsync(HttpStatusCode.OK);

        var operation = document["paths"]![path]![method]!;
        operation.Str("operationId").ShouldBe(operationId);
        operation["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe([tag]);
    }

    [Fact]
    public async Task Wire_schemas_have_the_reference_names_and_required_keys()
    {
        var document = await (await api.Anonymous().GetAsync("/docs/openapi.json")).JsonAsync(HttpStatusCode.OK);
        var schemas = document["components"]!["schemas"]!.AsObject();

        Required(schemas, "StackTemplate").ShouldBe(["checksum", "created_at", "id", "name", "parameters_schema", "template_content", "updated_at", "version"], ignoreOrder: true);
        Required(schemas, "CreateTemplateRequest").ShouldBe(["name", "parameters_schema", "template_content"], ignoreOrder: true);
        Required(schemas, "UpdateTemplateRequest").ShouldBe(["parameters_schema", "template_content"], ignoreOrder: true);
        Required(schemas, "TemplateLabel").ShouldBe(["created_at", "id", "label", "template_id"], ignoreOrder: true);
        Required(schemas, "TemplateAnnotation").ShouldBe(["created_at", "id", "key", "template_id", "value"], ignoreOrder: true);
        Required(schemas, "AddAnnotationRequest").ShouldBe(["key", "value"], ignoreOrder: true);
        Required(schemas, "TemplateInstantiationRequest").ShouldBe(["parameters", "template_id"], ignoreOrder: true);
    }

    private static string[] Required(JsonObject schemas, string name)
    {
        schemas.ContainsKey(name).ShouldBeTrue(name);
        return schemas[name]!["required"]!.AsArray().Select(r => r!.GetValue<string>()).ToArray();
    }
}
