using System.Net.WebSockets;
using Brokkr.Contracts.Realtime;
using Brokkr.Realtime.Cluster;
using Brokkr.Realtime.Live;

namespace Brokkr.Realtime.Tests;

/// <summary>Two broker replicas on one database: pushes, presence, closing and live frames cross between them.</summary>
public sealed class ClusterTests(TwoReplicas replicas) : IClassFixture<TwoReplicas>
{
    private RealtimeApiFactory First => replicas.First;

    private ReplicaFactory Second => replicas.Second;

    [Fact]
    public async Task A_push_committed_on_one_replica_reaches_an_agent_held_by_the_other()
    {
        var world = await World.CreateAsync(First);
        await using var socket = await Second.ConnectAgentAsync(world.AgentId, world.AgentPak);

        await new Scenario(First).TargetAsync(world.AgentId, world.StackId);

        (await socket.ReceiveAsync("target_changed"))["body"]!.Id("stack_id").ShouldBe(world.StackId);
    }

    [Fact]
    public async Task The_fleet_of_either_replica_shows_an_agent_connected_to_the_other()
    {
        var world = await World.CreateAsync(First);
        await using var socket = await Second.ConnectAgentAsync(world.AgentId, world.AgentPak);
        await RealtimeTest.EventuallyAsync(() => First.ConnectedAnywhere(world.AgentId), "the first replica learnt of the connection");

        var record = (await (await First.Admin().GetAsync($"/api/v1/agents/{world.AgentId}/fleet-status")).JsonAsync(HttpStatusCode.OK))["record"]!;
        var fleet = (await (await First.Admin().GetAsync("/api/v1/fleet")).JsonAsync(HttpStatusCode.OK)).AsArray();

        record["ws_connected"]!.GetValue<bool>().ShouldBeTrue();
        var listed = fleet.Single(r => r!.Id("agent_id") == world.AgentId)!;
        listed["ws_connected"]!.GetValue<bool>().ShouldBeTrue();
        listed.Str("connected_since").ShouldBe(record.Str("connected_since"));
        Second.Get<ClusterState>().TryGetConnectedSince(world.AgentId, out var since).ShouldBeTrue();
        First.Get<ClusterState>().TryGetConnectedSince(world.AgentId, out var seen).ShouldBeTrue();
        seen.ShouldBe(since);

        await socket.DisposeAsync();
        await RealtimeTest.EventuallyAsync(() => !First.ConnectedAnywhere(world.AgentId), "the first replica learnt of the disconnection");
    }

    [Fact]
    public async Task Admin_connections_of_one_replica_list_the_sockets_of_the_other_with_their_counters()
    {
        var world = await World.CreateAsync(First);
        await using var socket = await Second.ConnectAgentAsync(world.AgentId, world.AgentPak);
        await socket.SendFrameAsync("heartbeat", Bodies.Heartbeat(world.AgentId));
        await RealtimeTest.EventuallyAsync(() => Second.Get<Channel.AgentSockets>().TryGet(world.AgentId, out var c) && c.MessagesIn == 1, "frame counted");
        await using var subscriber = await Second.SubscribeAsync($"/api/v1/stacks/{world.StackId}/live", BrokkrApiFactory.AdminPak.Value);
        await Second.TickAsync();

        var body = await (await First.Admin().GetAsync("/api/v1/admin/ws/connections")).JsonAsync(HttpStatusCode.OK);

        var listed = body["connections"]!.AsArray().Single(c => c!.Id("agent_id") == world.AgentId)!;
        listed["messages_in"]!.GetValue<long>().ShouldBe(1);
        body["connected_agents"]!.GetValue<long>().ShouldBe(body["connections"]!.AsArray().Count);
        body["live_subscribers"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task A_connection_on_one_replica_replaces_the_agents_socket_on_the_other()
    {
        var world = await World.CreateAsync(First);
        await using var old = await First.ConnectAgentAsync(world.AgentId, world.AgentPak);
        await using var fresh = await Second.ConnectAgentAsync(world.AgentId, world.AgentPak);

        (await old.ReceiveCloseAsync()).ShouldBe(WebSocketCloseStatus.NormalClosure);
        await First.PublishInTransactionAsync(new PushToAgents([world.AgentId], WireMessageTypes.TargetChanged, new TargetBody(Guid.NewGuid(), world.AgentId, world.StackId)));
        (await fresh.ReceiveAsync()).Str("type").ShouldBe("target_changed");
        await RealtimeTest.EventuallyAsync(() => First.Get<ClusterState>().TryGetHolder(world.AgentId, out var holder) && holder.Replica != default
            && !First.Get<Channel.AgentSockets>().TryGet(world.AgentId, out _), "the first replica sees the second as the holder");
        First.ConnectedAnywhere(world.AgentId).ShouldBeTrue();
    }

    [Fact]
    public async Task Rotating_the_pak_through_one_replica_closes_the_socket_on_the_other()
    {
        var world = await World.CreateAsync(First);
        await using var socket = await Second.ConnectAgentAsync(world.AgentId, world.AgentPak);

        await (await First.Admin().PostAsync($"/api/v1/agents/{world.AgentId}/rotate-pak", null)).JsonAsync(HttpStatusCode.OK);

        (await socket.ReceiveCloseAsync()).ShouldBe(WebSocketCloseStatus.PolicyViolation);
    }

    [Fact]
    public async Task Telemetry_sent_to_one_replica_reaches_a_live_subscriber_of_the_other()
    {
        var world = await World.CreateAsync(First);
        await using var subscriber = await First.SubscribeAsync($"/api/v1/stacks/{world.StackId}/live", world.GeneratorPak, viaSubprotocol: true);
        await RealtimeTest.EventuallyAsync(() => Second.Get<ClusterState>().RemoteSubscribesTo(world.StackId), "the second replica knows of the subscriber");
        await using var agent = await Second.ConnectAgentAsync(world.AgentId, world.AgentPak);

        await agent.SendFrameAsync("k8s_event", Bodies.K8sEvent(world.AgentId, world.StackId, reason: "BackOff"));
        await agent.SendFrameAsync("pod_log_line", Bodies.PodLogLine(world.AgentId, world.StackId, new string('z', 9000)));

        (await subscriber.ReceiveAsync("k8s_event"))["body"]!.Str("reason").ShouldBe("BackOff");
        (await subscriber.ReceiveAsync("pod_log_line"))["body"]!.Str("line").Length.ShouldBe(9000);
    }

    [Fact]
    public async Task A_rest_heartbeat_on_one_replica_reaches_fleet_subscribers_of_the_other()
    {
        var world = await World.CreateAsync(First);
        await using var fleet = await Second.SubscribeAsync("/api/v1/fleet/live", BrokkrApiFactory.AdminPak.Value);
        await RealtimeTest.EventuallyAsync(() => First.Get<FleetBroadcaster>().Wanted, "the first replica knows of the fleet subscriber");

        (await First.WithPak(world.AgentPak).PostAsync($"/api/v1/agents/{world.AgentId}/heartbeat", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var record = (await fleet.ReceiveAsync("fleet_update", body => body.Id("agent_id") == world.AgentId))["body"]!;
        record["last_heartbeat"].ShouldNotBeNull();
    }

    [Fact]
    public async Task The_sockets_of_a_replica_that_went_silent_expire()
    {
        var world = await World.CreateAsync(First);
        var alive = await new Scenario(First).AgentAsync();
        var (dead, living) = (Guid.NewGuid(), Guid.NewGuid());
        await First.ExecuteAsync("""
            INSERT INTO realtime_replicas (replica_id, seen_at) VALUES (@dead, now() - interval '31 seconds'), (@living, now());
            INSERT INTO realtime_connections (agent_id, replica_id, connection_id, connected_since)
            VALUES (@silent_agent, @dead, gen_random_uuid(), now() - interval '1 minute'), (@alive_agent, @living, gen_random_uuid(), now())
            """, ("dead", dead), ("living", living), ("silent_agent", world.AgentId), ("alive_agent", alive.Id));

        await First.TickAsync();

        First.ConnectedAnywhere(world.AgentId).ShouldBeFalse();
        First.ConnectedAnywhere(alive.Id).ShouldBeTrue();
        (await First.ScalarAsync<long>("SELECT count(*) FROM realtime_connections WHERE replica_id = @dead", ("dead", dead))).ShouldBe(0);
        (await First.ScalarAsync<long>("SELECT count(*) FROM realtime_replicas WHERE replica_id = @dead", ("dead", dead))).ShouldBe(0);
        await First.ExecuteAsync("DELETE FROM realtime_connections WHERE replica_id = @living; DELETE FROM realtime_replicas WHERE replica_id = @living", ("living", living));
        await First.TickAsync();
        First.ConnectedAnywhere(alive.Id).ShouldBeFalse();
    }
}
