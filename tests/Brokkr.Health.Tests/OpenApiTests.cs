namespace Brokkr.Health.Tests;

/// <summary>The module's operations reach the served OpenAPI document under the reference's ids, tags and schema names.</summary>
public sealed class OpenApiTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    [Theory]
    [InlineData("/agents/{id}/health-status", "patch", "update_health_status", "health")]
    [InlineData("/deployment-objects/{id}/health", "get", "get_deployment_health", "health")]
    [InlineData("/stacks/{id}/health", "get", "get_stack_health", "health")]
    [InlineData("/fleet", "get", "list_fleet", "fleet")]
    [InlineData("/agents/{id}/fleet-status", "get", "get_agent_fleet_status", "fleet")]
    public async Task Operation_is_documented_with_the_reference_id_and_tag(string path, string method, string operationId, string tag)
    {
        var document = await (await api.Anonymous().GetAsync("/docs/openapi.json")).JsonAsync(HttpStatusCode.OK);

        var operation = document["paths"]![path]![method]!;
        operation.Str("operationId").ShouldBe(operationId);
        operation["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe([tag]);
    }

    [Fact]
    public async Task Wire_schemas_carry_the_reference_names_and_the_fleet_record_its_seventeen_keys()
    {
        var document = await (await api.Anonymous().GetAsync("/docs/openapi.json")).JsonAsync(HttpStatusCode.OK);

        var schemas = document["components"]!["schemas"]!.AsObject();
        foreach (var name in new[]
                 {
                     "HealthStatusUpdate", "DeploymentObjectHealthUpdate", "HealthSummary", "ResourceHealth", "DeploymentHealth",
                     "DeploymentHealthResponse", "StackHealthResponse", "DeploymentObjectHealthSummary", "FleetAgentRecord", "AgentFleetStatusResponse",
                 })
        {
            schemas.ContainsKey(name).ShouldBeTrue(name);
        }

        schemas["FleetAgentRecord"]!["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)
            .ShouldBe(FleetScenario.RecordKeys.Order(StringComparer.Ordinal));
        var fleet = document["paths"]!["/fleet"]!["get"]!["parameters"]!.AsArray().Select(p => p!.Str("name"));
        fleet.ShouldBe(["pak_id", "limit", "offset"], ignoreOrder: true);
    }
}
