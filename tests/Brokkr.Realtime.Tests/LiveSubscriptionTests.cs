using Brokkr.Contracts.Realtime;
using Brokkr.Realtime.Live;

namespace Brokkr.Realtime.Tests;

/// <summary>Live stack telemetry and the live fleet (behaviour §11): who may subscribe, how browsers authenticate, what arrives.</summary>
public sealed class LiveSubscriptionTests(RealtimeApiFactory api) : IClassFixture<RealtimeApiFactory>
{
    private static readonly string[] FleetRecordKeys =
    [
        "agent_id", "name", "cluster_name", "status", "ws_connected", "connected_since", "last_heartbeat", "heartbeat_age_seconds",
        "pending_object_count", "pending_work_orders", "claimed_work_orders", "last_event_at", "seconds_since_last_event",
        "health_failing", "health_degraded", "k8s_reachable", "k8s_api_latency_ms",
    ];

    [Fact]
    public async Task A_k8s_event_reaches_a_header_authenticated_subscriber_and_is_stored()
    {
        var world = await World.CreateAsync(api);
        await using var subscriber = await api.SubscribeAsync($"/api/v1/stacks/{world.StackId}/live", BrokkrApiFactory.AdminPak.Value);
        await using var agent = await api.ConnectAgentAsync(world.AgentId, world.AgentPak);

        await agent.SendFrameAsync("k8s_event", Bodies.K8sEvent(world.AgentId, world.StackId, reason: "Pulled"));

        var frame = await subscriber.ReceiveAsync();
        frame.Str("type").ShouldBe("k8s_event");
        var body = frame["body"]!;
        body.ShouldHaveExactKeys("agent_id", "stack_id", "observed_at", "reason", "message", "event_type", "source", "involved_object");
        body.Str("reason").ShouldBe("Pulled");
        body["involved_object"]!.Str("kind").ShouldBe("Pod");
        await RealtimeTest.EventuallyAsync(async () =>
        {
            var history = await (await api.Admin().GetAsync($"/api/v1/stacks/{world.StackId}/events")).JsonAsync(HttpStatusCode.OK);
            return history["events"]!.AsArray().Any(e => e!.Str("reason") == "Pulled");
        }, "the event stored");
    }

    [Fact]
    public async Task A_browser_subscribes_with_the_pak_subprotocol_and_gets_only_brokkr_v1_back()
    {
        var world = await World.CreateAsync(api);
        await using var subscriber = await api.SubscribeAsync($"/api/v1/stacks/{world.StackId}/live", world.GeneratorPak, viaSubprotocol: true);
        await using var agent = await api.ConnectAgentAsync(world.AgentId, world.AgentPak);

        subscriber.Socket.SubProtocol.ShouldBe("brokkr.v1");
        await agent.SendFrameAsync("pod_log_line", Bodies.PodLogLine(world.AgentId, world.StackId, "listening on :8080"));
        await agent.SendFrameAsync("log_gap", new { agent_id = world.AgentId, stack_id = world.StackId, since_ts = DateTime.UtcNow, dropped_count = 7, reason = "rate_limit" });

        var line = await subscriber.ReceiveAsync();
        line.Str("type").ShouldBe("pod_log_line");
        line["body"]!.ShouldHaveExactKeys("agent_id", "stack_id", "namespace", "pod", "container", "ts", "line");
        line["body"]!.Str("line").ShouldBe("listening on :8080");
        var gap = await subscriber.ReceiveAsync();
        gap.Str("type").ShouldBe("log_gap");
        gap["body"]!.ShouldHaveExactKeys("agent_id", "stack_id", "since_ts", "dropped_count", "reason");
        gap["body"]!["dropped_count"]!.GetValue<long>().ShouldBe(7);
        await RealtimeTest.EventuallyAsync(async () =>
        {
            var history = await (await api.Admin().GetAsync($"/api/v1/stacks/{world.StackId}/logs")).JsonAsync(HttpStatusCode.OK);
            return history["lines"]!.AsArray().Any(l => l!.Str("line") == "listening on :8080");
        }, "the line stored");
    }

    [Fact]
    public async Task Frames_of_other_stacks_do_not_reach_a_stack_subscriber()
    {
        var world = await World.CreateAsync(api);
        var otherStack = await new Scenario(api).StackAsync(world.GeneratorId);
        await using var subscriber = await api.SubscribeAsync($"/api/v1/stacks/{world.StackId}/live", BrokkrApiFactory.AdminPak.Value);
        await using var agent = await api.ConnectAgentAsync(world.AgentId, world.AgentPak);

        await agent.SendFrameAsync("pod_log_line", Bodies.PodLogLine(world.AgentId, otherStack, "elsewhere"));
        await agent.SendFrameAsync("pod_log_line", Bodies.PodLogLine(world.AgentId, world.StackId, "here"));

        (await subscriber.ReceiveAsync())["body"]!.Str("line").ShouldBe("here");
    }

    [Fact]
    public async Task A_bad_pak_in_the_subprotocol_is_401()
    {
        var world = await World.CreateAsync(api);
        var forged = BrokkrApiFactory.AdminPak.Value[..^3] + "zzz";

        (await api.RefusedUpgradeAsync($"/api/v1/stacks/{world.StackId}/live", pak: null, $"brokkr.pak.{forged}", "brokkr.v1")).ShouldContain("401");
        (await api.RefusedUpgradeAsync("/api/v1/fleet/live", pak: null, "brokkr.pak.nonsense", "brokkr.v1")).ShouldContain("401");
        (await api.RefusedUpgradeAsync("/api/v1/fleet/live", pak: null, "brokkr.v1")).ShouldContain("401");
    }

    [Fact]
    public async Task Stack_live_refuses_agents_other_generators_and_unknown_stacks()
    {
        var world = await World.CreateAsync(api);
        var stranger = await new Scenario(api).GeneratorAsync();
        var path = $"/api/v1/stacks/{world.StackId}/live";

        (await api.RefusedUpgradeAsync(path, world.AgentPak)).ShouldContain("403");
        await (await api.WithPak(world.AgentPak).GetUpgradeAsync(path)).ShouldFailAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await api.WithPak(stranger.Pak).GetUpgradeAsync(path)).ShouldFailAsync(HttpStatusCode.Forbidden, "stack_not_owned");
        await (await api.Admin().GetUpgradeAsync($"/api/v1/stacks/{Guid.NewGuid()}/live")).ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
        await (await api.Admin().GetAsync(path)).ShouldFailAsync(HttpStatusCode.BadRequest, "websocket_upgrade_required");
    }

    [Fact]
    public async Task Fleet_live_is_admin_only()
    {
        var world = await World.CreateAsync(api);

        (await api.RefusedUpgradeAsync("/api/v1/fleet/live", world.GeneratorPak)).ShouldContain("403");
        await (await api.WithPak(world.GeneratorPak).GetUpgradeAsync("/api/v1/fleet/live")).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        await (await api.WithPak(world.AgentPak).GetUpgradeAsync("/api/v1/fleet/live")).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
    }

    [Fact]
    public async Task Fleet_subscribers_get_the_record_on_connect_disconnect_and_rest_heartbeat()
    {
        var world = await World.CreateAsync(api);
        await using var fleet = await api.SubscribeAsync("/api/v1/fleet/live", BrokkrApiFactory.AdminPak.Value, viaSubprotocol: true);
        bool Mine(JsonNode body) => body.Id("agent_id") == world.AgentId;

        var agent = await api.ConnectAgentAsync(world.AgentId, world.AgentPak);
        var connected = (await fleet.ReceiveAsync("fleet_update", Mine))["body"]!;
        connected.ShouldHaveExactKeys(FleetRecordKeys);
        connected["ws_connected"]!.GetValue<bool>().ShouldBeTrue();
        connected.Str("connected_since").ShouldEndWith("Z");

        (await api.WithPak(world.AgentPak).PostJsonAsync($"/api/v1/agents/{world.AgentId}/heartbeat", new { k8s_reachable = true, k8s_api_latency_ms = 12 }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var beat = (await fleet.ReceiveAsync("fleet_update", body => Mine(body) && body["last_heartbeat"] is not null))["body"]!;
        beat["k8s_api_latency_ms"]!.GetValue<long>().ShouldBe(12);
        beat["ws_connected"]!.GetValue<bool>().ShouldBeTrue();

        await agent.DisposeAsync();
        var gone = (await fleet.ReceiveAsync("fleet_update", body => Mine(body) && !body["ws_connected"]!.GetValue<bool>()))["body"]!;
        gone["connected_since"].ShouldBeNull();
    }

    [Fact]
    public async Task The_fleet_sweep_records_a_baseline_then_sends_records_whose_counts_changed()
    {
        var world = await World.CreateAsync(api);
        var quiet = await new Scenario(api).AgentAsync();
        var revision = await new Scenario(api).DeploymentObjectAsync(world.StackId, Wire.Yaml);
        await using var fleet = await api.SubscribeAsync("/api/v1/fleet/live", BrokkrApiFactory.AdminPak.Value);
        var sweep = api.Get<FleetSweep>();

        await sweep.SweepAsync(CancellationToken.None);
        await api.PublishInTransactionAsync(new AgentFleetChanged(quiet.Id));
        (await fleet.ReceiveAsync())["body"]!.Id("agent_id").ShouldBe(quiet.Id, "the first pass only records the baseline");

        var report = new { deployment_objects = new[] { new { id = revision.Id(), status = "failing", checked_at = DateTime.UtcNow } } };
        (await api.WithPak(world.AgentPak).PatchJsonAsync($"/api/v1/agents/{world.AgentId}/health-status", report)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await sweep.SweepAsync(CancellationToken.None);

        var changed = await fleet.ReceiveAsync();
        changed["body"]!.Id("agent_id").ShouldBe(world.AgentId);
        changed["body"]!["health_failing"]!.GetValue<long>().ShouldBe(1);
        await fleet.ShouldReceiveNothingAsync(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Nobody_subscribing_anywhere_means_a_fleet_change_costs_nothing()
    {
        var broadcaster = api.Get<FleetBroadcaster>();

        await RealtimeTest.EventuallyAsync(() => api.Get<LiveHub>().FleetSubscribers == 0, "earlier fleet subscribers gone");
        broadcaster.Wanted.ShouldBeFalse();
    }
}
