using Brokkr.Webhooks.Features;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Brokkr.Webhooks.Tests;

/// <summary>
/// Real changes made through the API reach subscribers: the other modules publish inside their
/// transactions, this module's outbox and delivery job carry the event to a loopback receiver.
/// </summary>
public sealed class PublishedEventTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private static JsonNode Data(ReceivedWebhook request) => request.Json["data"]!;

    [Fact]
    public async Task Agent_creation_and_deletion_are_delivered_as_agent_registered_and_deregistered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var hook = await api.SubscribeAsync(receiver.Url, ["agent.*"]);
        try
        {
            var agent = await new Scenario(api).AgentAsync(name: Scenario.Unique("wh"), cluster: "c1");
            (await api.Admin().DeleteAsync($"/api/v1/agents/{agent.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

            await api.DeliverAsync();

            var received = (await receiver.WaitForAsync(2)).OrderBy(r => r.Json.Str("event_type")).ToList();
            received.Select(r => r.Json.Str("event_type")).ShouldBe(["agent.deregistered", "agent.registered"]);
            Data(received[1]).AsObject().Select(p => p.Key).ShouldBe(["agent_id", "cluster_name", "created_at", "name", "status"]);
            Data(received[1]).Str("agent_id").ShouldBe(agent.Id.ToString());
            Data(received[1]).Str("cluster_name").ShouldBe("c1");
            Data(received[0]).Str("agent_id").ShouldBe(agent.Id.ToString());
        }
        finally
        {
            await api.Admin().DeleteAsync($"/api/v1/webhooks/{hook}");
        }
    }

    [Fact]
    public async Task Stack_and_deployment_events_reach_only_the_subscription_filtered_on_that_stack()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var given = new Scenario(api);
        var generator = await given.GeneratorAsync();
        var stack = await given.StackAsync(generator.Id);
        var otherStack = await given.StackAsync(generator.Id);
        var hook = await api.SubscribeAsync(receiver.Url, ["deployment.*", "stack.*"], new { filters = new { stack_id = stack } });
        try
        {
            var revision = (await given.DeploymentObjectAsync(stack, Wire.Yaml)).Id();
            await given.DeploymentObjectAsync(otherStack, Wire.Yaml);
            (await api.Admin().DeleteAsync($"/api/v1/stacks/{stack}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

            await api.DeliverAsync();

            var received = await receiver.WaitForAsync(2);
            received.Select(r => r.Json.Str("event_type")).Order().ShouldBe(["deployment.created", "stack.deleted"]);
            var created = received.Single(r => r.Json.Str("event_type") == "deployment.created");
            Data(created).Str("deployment_object_id").ShouldBe(revision.ToString());
            Data(created).Str("stack_id").ShouldBe(stack.ToString());
        }
        finally
        {
            await api.Admin().DeleteAsync($"/api/v1/webhooks/{hook}");
        }
    }

    [Fact]
    public async Task Agent_events_reported_over_rest_become_deployment_applied_and_failed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var given = new Scenario(api);
        var generator = await given.GeneratorAsync();
        var agent = await given.AgentAsync(generatorIds: generator.Id);
        var stack = await given.StackAsync(generator.Id);
        await given.TargetAsync(agent.Id, stack);
        var revision = (await given.DeploymentObjectAsync(stack, Wire.Yaml)).Id();
        var hook = await api.SubscribeAsync(receiver.Url, ["deployment.applied", "deployment.failed"], new { filters = new { agent_id = agent.Id } });
        try
        {
            foreach (var status in new[] { "SUCCESS", "FAILURE" })
            {
                (await api.WithPak(agent.Pak).PostJsonAsync($"/api/v1/agents/{agent.Id}/events",
                    new { agent_id = agent.Id, deployment_object_id = revision, event_type = "DEPLOY", status, message = status.ToLowerInvariant() })).StatusCode.ShouldBe(HttpStatusCode.Created);
            }

            await api.DeliverAsync();

            var received = await receiver.WaitForAsync(2);
            received.Select(r => r.Json.Str("event_type")).Order().ShouldBe(["deployment.applied", "deployment.failed"]);
            var applied = Data(received.Single(r => r.Json.Str("event_type") == "deployment.applied"));
            applied.Str("agent_id").ShouldBe(agent.Id.ToString());
            applied.Str("deployment_object_id").ShouldBe(revision.ToString());
            applied.Str("stack_id").ShouldBe(stack.ToString());
            applied.Str("message").ShouldBe("success");
        }
        finally
        {
            await api.Admin().DeleteAsync($"/api/v1/webhooks/{hook}");
        }
    }

    [Fact]
    public async Task A_work_order_is_delivered_and_one_refused_by_its_targeting_is_not()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var agent = await new Scenario(api).AgentAsync();
        var hook = await api.SubscribeAsync(receiver.Url, ["workorder.created"]);
        try
        {
            (await api.Admin().PostJsonAsync("/api/v1/work-orders", new { work_type = "build", yaml_content = "x: 1", targeting = new { agent_ids = new[] { Guid.NewGuid() } } }))
                .StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
            var created = await (await api.Admin().PostJsonAsync("/api/v1/work-orders", new { work_type = "build", yaml_content = "x: 1", targeting = new { agent_ids = new[] { agent.Id } } }))
                .JsonAsync(HttpStatusCode.Created);

            await api.DeliverAsync();

            var request = (await receiver.WaitForAsync(1)).ShouldHaveSingleItem();
            Data(request).Str("work_order_id").ShouldBe(created.Str("id"));
            (await api.DeliveriesAsync(hook)).Count.ShouldBe(1);
        }
        finally
        {
            await api.Admin().DeleteAsync($"/api/v1/webhooks/{hook}");
        }
    }

    [Fact]
    public async Task A_change_accepted_by_a_broker_that_then_stops_is_delivered_by_a_new_broker()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var name = Scenario.Unique("crash");
        Guid hook;
        await using (var first = new SameDatabaseFactory(api.ConnectionString))
        {
            var admin = first.Admin();
            hook = (await (await admin.PostJsonAsync("/api/v1/webhooks", new { name = "survivor", url = receiver.Url, event_types = new[] { "stack.created" } }))
                .JsonAsync(HttpStatusCode.Created)).Id();
            var generator = await (await admin.PostJsonAsync("/api/v1/generators", new { name = Scenario.Unique("gen") })).JsonAsync(HttpStatusCode.Created);
            (await admin.PostJsonAsync("/api/v1/stacks", new { name, description = (string?)null, generator_id = generator["generator"]!.Id() }))
                .StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        try
        {
            receiver.Received.ShouldBeEmpty();
            await using var second = new SameDatabaseFactory(api.ConnectionString);
            await using (var scope = second.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<ISender>().Send(new DeliverWebhooks.Command());
            }

            var delivered = (await receiver.WaitForAsync(1)).ShouldHaveSingleItem();
            delivered.Json.Str("event_type").ShouldBe("stack.created");
            Data(delivered).Str("name").ShouldBe(name);
        }
        finally
        {
            await api.Admin().DeleteAsync($"/api/v1/webhooks/{hook}");
        }
    }
}
