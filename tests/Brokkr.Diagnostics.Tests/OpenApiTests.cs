namespace Brokkr.Diagnostics.Tests;

/// <summary>The module's operations reach the served OpenAPI document under the reference's ids, tags and schema names.</summary>
public sealed class OpenApiTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    [Theory]
    [InlineData("/deployment-objects/{id}/diagnostics", "post", "create_diagnostic_request")]
    [InlineData("/agents/{id}/diagnostics/pending", "get", "get_pending_diagnostics")]
    [InlineData("/diagnostics/{id}", "get", "get_diagnostic")]
    [InlineData("/diagnostics/{id}/claim", "post", "claim_diagnostic")]
    [InlineData("/diagnostics/{id}/result", "post", "submit_diagnostic_result")]
    public async Task Operation_is_documented_with_the_reference_id_and_tag(string path, string method, string operationId)
    {
        var document = await (await api.Anonymous().GetAsync("/docs/openapi.json")).JsonAsync(HttpStatusCode.OK);

        var operation = document["paths"]![path]![method]!;
        operation.Str("operationId").ShouldBe(operationId);
        operation["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["diagnostics"]);
    }

    [Fact]
    public async Task Wire_schemas_carry_the_reference_names()
    {
        var document = await (await api.Anonymous().GetAsync("/docs/openapi.json")).JsonAsync(HttpStatusCode.OK);

        var schemas = document["components"]!["schemas"]!.AsObject();
        foreach (var name in new[] { "CreateDiagnosticRequest", "DiagnosticRequest", "DiagnosticResponse", "DiagnosticResult", "SubmitDiagnosticResult" })
        {
            schemas.ContainsKey(name).ShouldBeTrue(name);
        }

        schemas["SubmitDiagnosticResult"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()).Order()
            .ShouldBe(new[] { "collected_at", "events", "pod_statuses" });
    }
}
