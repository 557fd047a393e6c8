namespace Brokkr.WorkOrders.Tests;

/// <summary>The module's operations reach the served OpenAPI document under the reference's ids and tags.</summary>
public sealed class OpenApiTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    [Theory]
    [InlineData("/work-orders", "get", "list_work_orders")]
    [InlineData("/work-orders", "post", "create_work_order")]
    [InlineData("/work-orders/{id}", "get", "get_work_order")]
    [InlineData("/work-orders/{id}", "delete", "delete_work_order")]
    [InlineData("/work-orders/{id}/claim", "post", "claim_work_order")]
    [InlineData("/work-orders/{id}/complete", "post", "complete_work_order")]
    [InlineData("/work-order-log", "get", "list_work_order_log")]
    [InlineData("/work-order-log/{id}", "get", "get_work_order_log")]
    [InlineData("/agents/{agent_id}/work-orders/pending", "get", "list_pending_for_agent")]
    public async Task Operation_is_documented_with_the_reference_id_and_tag(string path, string method, string operationId)
    {
        var document = await api.Anonymous().GetAsync("/docs/openapi.json").JsonAsync(HttpStatusCode.OK);

        var operation = document["paths"]![path]![method]!;
        operation.Str("operationId").ShouldBe(operationId);
        operation["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["work-orders"]);
    }

    [Fact]
    public async Task Wire_schemas_are_documented_under_the_reference_names()
    {
        var document = await api.Anonymous().GetAsync("/docs/openapi.json").JsonAsync(HttpStatusCode.OK);
        var schemas = document["components"]!["schemas"]!.AsObject();

        foreach (var name in new[] { "WorkOrder", "WorkOrderLog", "CreateWorkOrderRequest", "WorkOrderTargeting", "ClaimWorkOrderRequest", "CompleteWorkOrderRequest" })
        {
            schemas.ContainsKey(name).ShouldBeTrue(name);
        }

        schemas["WorkOrder"]!["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ShouldBe(Keys.WorkOrder.Order(StringComparer.Ordinal));
        schemas["WorkOrderLog"]!["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ShouldBe(Keys.WorkOrderLog.Order(StringComparer.Ordinal));
        var complete = document["paths"]!["/work-orders/{id}/complete"]!["post"]!["responses"]!.AsObject();
        complete.Select(r => r.Key).ShouldContain("200");
        complete.Select(r => r.Key).ShouldContain("202");
        var pending = document["paths"]!["/agents/{agent_id}/work-orders/pending"]!["get"]!["parameters"]!.AsArray().Select(p => p!.Str("name")).ToList();
        pending.ShouldContain("agent_id");
        pending.ShouldContain("work_type");
    }
}
