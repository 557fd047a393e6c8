namespace Brokkr.Stacks.Tests;

/// <summary>The module's operations reach the served OpenAPI document under the reference's ids and tags.</summary>
public sealed class OpenApiTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    [Theory]
    [InlineData("/stacks", "get", "list_stacks", "stacks")]
    [InlineData("/stacks", "post", "create_stack", "stacks")]
    [InlineData("/stacks/{id}", "get", "get_stack", "stacks")]
    [InlineData("/stacks/{id}", "put", "update_stack", "stacks")]
    [InlineData("/stacks/{id}", "delete", "delete_stack", "stacks")]
    [InlineData("/stacks/{id}/labels", "get", "stacks_list_labels", "stacks")]
    [InlineData("/stacks/{id}/labels", "post", "stacks_add_label", "stacks")]
    [InlineData("/stacks/{id}/annotations", "get", "stacks_list_annotations", "stacks")]
    [InlineData("/stacks/{id}/annotations", "post", "stacks_add_annotation", "stacks")]
    [InlineData("/stacks/{id}/deployment-objects", "get", "list_deployment_objects", "stacks")]
    [InlineData("/stacks/{id}/deployment-objects", "post", "create_deployment_object", "stacks")]
    [InlineData("/deployment-objects/{id}", "get", "get_deployment_object", "deployment-objects")]
    [InlineData("/agents/{id}/stacks", "get", "get_associated_stacks", "agents")]
    [InlineData("/agents/{id}/target-state", "get", "get_target_state", "agents")]
    public async Task Operation_is_documented_with_the_reference_id_and_tag(string path, string method, string operationId, string tag)
    {
        var document = await (await api.Anonymous().GetAsync("/docs/openapi.json")).JsonAsync(HttpStatusCode.OK);

        var operation = document["paths"]![path]![method]!;
        operation.Str("operationId").ShouldBe(operationId);
        operation["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe([tag]);
    }

    [Fact]
    public async Task Removal_routes_and_wire_schemas_are_documented()
    {
        var document = await (await api.Anonymous().GetAsync("/docs/openapi.json")).JsonAsync(HttpStatusCode.OK);

        document["paths"]!.AsObject().Select(p => p.Key).ShouldContain(p => p.StartsWith("/stacks/{id}/labels/", StringComparison.Ordinal));
        document["paths"]!.AsObject().Select(p => p.Key).ShouldContain(p => p.StartsWith("/stacks/{id}/annotations/", StringComparison.Ordinal));
        var schemas = document["components"]!["schemas"]!.AsObject();
        foreach (var name in new[] { "Stack", "NewStack", "StackLabel", "StackAnnotation", "NewStackAnnotation", "DeploymentObject", "NewDeploymentObject" })
        {
            schemas.ContainsKey(name).ShouldBeTrue(name);
        }

        schemas["Stack"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()).Order()
            .ShouldBe(new[] { "created_at", "generator_id", "id", "name", "updated_at" }.Order());
    }
}
