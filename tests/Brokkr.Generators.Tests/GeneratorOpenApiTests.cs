using System.Net;
using System.Text.Json.Nodes;
using Brokkr.Testing;

namespace Brokkr.Generators.Tests;

public sealed class GeneratorOpenApiTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private async Task<JsonNode> DocumentAsync() => await (await api.Anonymous().GetAsync("/docs/openapi.json")).JsonAsync(HttpStatusCode.OK);

    [Theory]
    [InlineData("/paks", "get", "list_paks", "auth")]
    [InlineData("/generators", "get", "list_generators", "generators")]
    [InlineData("/generators", "post", "create_generator", "generators")]
    [InlineData("/generators/{id}", "get", "get_generator", "generators")]
    [InlineData("/generators/{id}", "put", "update_generator", "generators")]
    [InlineData("/generators/{id}", "delete", "delete_generator", "generators")]
    [InlineData("/generators/{id}/rotate-pak", "post", "rotate_generator_pak", "generators")]
    [InlineData("/generators/{id}/register", "post", "register_agent", "generators")]
    [InlineData("/generators/{id}/register", "delete", "deregister_agent", "generators")]
    [InlineData("/generators/{id}/registered-agents", "get", "list_generator_registered_agents", "generators")]
    public async Task Given_the_served_document_then_each_generator_operation_keeps_the_reference_id_and_tag(string path, string method, string operationId, string tag)
    {
        var operation = (await DocumentAsync())["paths"]![path]![method]!;

        operation["operationId"]!.GetValue<string>().ShouldBe(operationId);
        operation["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe([tag]);
        operation["summary"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Given_the_served_document_then_the_generator_schema_matches_the_reference()
    {
        var schemas = (await DocumentAsync())["components"]!["schemas"]!;
        var generator = schemas["Generator"]!;

        generator["properties"].Keys().ShouldBe(Support.GeneratorKeys);
        generator["required"]!.AsArray().Select(r => r!.GetValue<string>()).Order(StringComparer.Ordinal)
            .ShouldBe(["created_at", "id", "is_active", "is_system", "name", "updated_at"]);
        schemas["CreateGeneratorResponse"]!["properties"].Keys().ShouldBe(["generator", "pak"]);
        schemas["AgentGeneratorRegistration"]!["properties"].Keys().ShouldBe(Support.RegistrationKeys);
        schemas["AgentRegistrationBody"]!["properties"].Keys().ShouldBe(["agent_id"]);
    }
}
