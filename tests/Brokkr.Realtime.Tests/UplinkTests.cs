namespace Brokkr.Realtime.Tests;

/// <summary>What an agent reports over its socket is stored as its REST twin would store it.</summary>
public sealed class UplinkTests(RealtimeApiFactory api) : IClassFixture<RealtimeApiFactory>
{
    [Fact]
    public async Task A_heartbeat_records_last_heartbeat_and_the_kubernetes_fields()
    {
        var world = await World.CreateAsync(api);
        await using var socket = await api.ConnectAgentAsync(world.AgentId, world.AgentPak);

        await socket.SendFrameAsync("heartbeat", Bodies.Heartbeat(world.AgentId, reachable: true, latency: 42));

        await RealtimeTest.EventuallyAsync(async () =>
        {
            var agent = await (await api.Admin().GetAsync($"/api/v1/agents/{world.AgentId}")).JsonAsync(HttpStatusCode.OK);
            return agent["last_heartbeat"] is not null && agent["k8s_reachable"]?.GetValue<bool>() == true && agent["k8s_api_latency_ms"]?.GetValue<int>() == 42;
        }, "heartbeat stored");
    }

    [Fact]
    public async Task An_event_is_validated_and_recorded()
    {
        var world = await World.CreateAsync(api);
        var revision = (await new Scenario(api).DeploymentObjectAsync(world.StackId, Wire.Yaml)).Id();
        await using var socket = await api.ConnectAgentAsync(world.AgentId, world.AgentPak);
        object Event(string status) => new
        {
            id = Guid.Empty,
            created_at = DateTime.UtcNow,
            updated_at = DateTime.UtcNow,
            deleted_at = (DateTime?)null,
            agent_id = world.AgentId,
            deployment_object_id = revision,
            event_type = "DEPLOY",
            status,
            message = $"applied ({status})",
        };

        await socket.SendFrameAsync("agent_event", Event("SUCCESSFUL!"));
        await socket.SendFrameAsync("agent_event", Event("SUCCESS"));

        JsonArray events = [];
        await RealtimeTest.EventuallyAsync(async () =>
        {
            events = (await (await api.Admin().GetAsync($"/api/v1/agents/{world.AgentId}/events")).JsonAsync(HttpStatusCode.OK)).AsArray();
            return events.Count > 0;
        }, "event stored");
        events.Count.ShouldBe(1);
        events[0]!.Str("status").ShouldBe("SUCCESS");
        events[0]!.Id().ShouldNotBe(Guid.Empty);
        events[0]!.Id("deployment_object_id").ShouldBe(revision);
    }

    [Fact]
    public async Task An_event_over_the_socket_fires_the_same_webhook_as_over_rest()
    {
        var world = await World.CreateAsync(api);
        var revision = (await new Scenario(api).DeploymentObjectAsync(world.StackId, Wire.Yaml)).Id();
        var hook = await (await api.Admin().PostJsonAsync("/api/v1/webhooks", new { name = Scenario.Unique("ws-hook"), url = "http://127.0.0.1:9/hook", event_types = new[] { "deployment.applied" } }))
            .JsonAsync(HttpStatusCode.Created);
        await using var socket = await api.ConnectAgentAsync(world.AgentId, world.AgentPak);

        await socket.SendFrameAsync("agent_event", new { agent_id = world.AgentId, deployment_object_id = revision, event_type = "DEPLOY", status = "SUCCESS", message = "applied" });

        await RealtimeTest.EventuallyAsync(async () =>
        {
            var deliveries = (await (await api.Admin().GetAsync($"/api/v1/webhooks/{hook.Id()}/deliveries")).JsonAsync(HttpStatusCode.OK)).AsArray();
            return deliveries.Any(d => d!.Str("event_type") == "deployment.applied" && d!["payload"]!.ToJsonString().Contains(revision.ToString(), StringComparison.Ordinal));
        }, "a deployment.applied delivery");
    }

    [Fact]
    public async Task A_health_report_is_upserted_with_its_summary()
    {
        var world = await World.CreateAsync(api);
        var revision = (await new Scenario(api).DeploymentObjectAsync(world.StackId, Wire.Yaml)).Id();
        await using var socket = await api.ConnectAgentAsync(world.AgentId, world.AgentPak);

        await socket.SendFrameAsync("agent_health", new
        {
            id = Guid.Empty,
            agent_id = world.AgentId,
            deployment_object_id = revision,
            status = "degraded",
            summary = """{"pods_ready":1,"pods_total":2,"conditions":["CrashLoopBackOff"]}""",
            checked_at = DateTime.UtcNow,
            created_at = DateTime.UtcNow,
            updated_at = DateTime.UtcNow,
        });

        JsonNode? record = null;
        await RealtimeTest.EventuallyAsync(async () =>
        {
            var health = await (await api.Admin().GetAsync($"/api/v1/deployment-objects/{revision}/health")).JsonAsync(HttpStatusCode.OK);
            record = health["health_records"]!.AsArray().SingleOrDefault(r => r!.Id("agent_id") == world.AgentId);
            return record is not null;
        }, "health stored");
        record.ShouldNotBeNull();
        record.Str("status").ShouldBe("degraded");
        record.Str("summary").ShouldContain("CrashLoopBackOff");
    }
}
