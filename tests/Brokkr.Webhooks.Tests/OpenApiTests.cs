namespace Brokkr.Webhooks.Tests;

/// <summary>The module's operations reach the served OpenAPI document under the reference's ids, tags and schema names.</summary>
public sealed class OpenApiTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    [Theory]
    [InlineData("/webhooks", "get", "list_webhooks")]
    [InlineData("/webhooks", "post", "create_webhook")]
    [InlineData("/webhooks/event-types", "get", "list_event_types")]
    [InlineData("/webhooks/{id}", "get", "get_webhook")]
    [InlineData("/webhooks/{id}", "put", "update_webhook")]
    [InlineData("/webhooks/{id}", "delete", "delete_webhook")]
    [InlineData("/webhooks/{id}/deliveries", "get", "list_deliveries")]
    [InlineData("/webhooks/{id}/test", "post", "test_webhook")]
    [InlineData("/webhook-deliveries/{id}/result", "post", "report_delivery_result")]
    [InlineData("/agents/{agent_id}/webhooks/pending", "get", "get_pending_agent_webhooks")]
    public async Task Operation_is_documented_with_the_reference_id_and_tag(string path, string method, string operationId)
    {
        var document = await (await api.Anonymous().GetAsync("/docs/openapi.json")).JsonAsync(HttpStatusCode.OK);

        var operation = document["paths"]![path]![method]!;
        operation.Str("operationId").ShouldBe(operationId);
        operation["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["webhooks"]);
        operation.Str("summary").ShouldNotBeNullOrWhiteSpace();
        operation.Str("description").ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Wire_schemas_carry_the_reference_names()
    {
        var document = await (await api.Anonymous().GetAsync("/docs/openapi.json")).JsonAsync(HttpStatusCode.OK);

        var schemas = document["components"]!["schemas"]!.AsObject();
        foreach (var name in new[] { "WebhookResponse", "CreateWebhookRequest", "UpdateWebhookRequest", "WebhookFilters", "WebhookDelivery", "PendingWebhookDelivery", "DeliveryResultRequest" })
        {
            schemas.ContainsKey(name).ShouldBeTrue(name);
        }

        schemas["CreateWebhookRequest"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()).Order().ShouldBe(["event_types", "name", "url"]);
        document["paths"]!["/webhooks/{id}/deliveries"]!["get"]!["parameters"]!.AsArray().Select(p => p!.Str("name")).ShouldBe(["id", "status", "limit", "offset"], ignoreOrder: true);
    }
}
