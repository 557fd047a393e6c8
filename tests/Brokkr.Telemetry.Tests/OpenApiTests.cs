namespace Brokkr.Telemetry.Tests;

/// <summary>The module's operations reach the served OpenAPI document under the reference's ids, tags, parameters and schema names.</summary>
public sealed class OpenApiTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    [Theory]
    [InlineData("/stacks/{id}/events", "list_telemetry_events")]
    [InlineData("/stacks/{id}/logs", "list_telemetry_logs")]
    public async Task Operation_is_documented_with_the_reference_id_tag_and_query_parameters(string path, string operationId)
    {
        var document = await (await api.Anonymous().GetAsync("/docs/openapi.json")).JsonAsync(HttpStatusCode.OK);

        var operation = document["paths"]![path]!["get"]!;
        operation.Str("operationId").ShouldBe(operationId);
        operation["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["stack-telemetry"]);
        var parameters = operation["parameters"]!.AsArray().ToDictionary(p => p!.Str("name"), p => p!);
        parameters.Keys.ShouldBe(["id", "since", "limit"], ignoreOrder: true);
        parameters["since"]["schema"]!.Str("format").ShouldBe("date-time");
        parameters["limit"]["schema"]!.Str("type").ShouldBe("integer");
        parameters["limit"]["schema"]!.Str("format").ShouldBe("int64");
    }

    [Fact]
    public async Task Wire_schemas_carry_the_reference_names()
    {
        var document = await (await api.Anonymous().GetAsync("/docs/openapi.json")).JsonAsync(HttpStatusCode.OK);

        var schemas = document["components"]!["schemas"]!.AsObject();
        foreach (var name in new[] { "K8sEventHistoryResponse", "PodLogHistoryResponse", "RetentionInfo", "AgentK8sEvent", "AgentPodLog" })
        {
            schemas.ContainsKey(name).ShouldBeTrue(name);
        }
    }
}
