using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Brokkr.Contracts.Realtime;
using Brokkr.Realtime.Bus;
using Brokkr.Realtime.Channel;
using Brokkr.Realtime.Cluster;
using Brokkr.Realtime.Live;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Brokkr.Realtime.Tests;

/// <summary>The bounded queues, the bus payloads and the cluster view, without a broker.</summary>
public sealed class UnitTests
{
    private static readonly RealtimeOptions Options = new() { ControlLane = 4, TelemetryLane = 8, SubscriberBuffer = 4 };

    private static OutboundFrame Frame(string type, int n) => OutboundFrame.Create(type, new { N = n });

    private static int N(OutboundFrame frame) => JsonDocument.Parse(frame.Utf8).RootElement.GetProperty("body").GetProperty("n").GetInt32();

    [Fact]
    public async Task A_lagging_stack_subscriber_gets_a_log_gap_where_the_frames_were_lost_and_the_publisher_never_waits()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero));
        var stack = Guid.NewGuid();
        var subscriber = new LiveSubscriber(stack, capacity: 4, clock);

        var accepted = Enumerable.Range(1, 10).Select(i => subscriber.Offer(Frame(WireMessageTypes.PodLogLine, i))).ToList();
        subscriber.Offer(Frame(WireMessageTypes.PodLogLine, 11)).ShouldBeFalse();

        accepted.Count(a => a).ShouldBe(4);
        for (var i = 1; i <= 4; i++)
        {
            N(await subscriber.NextAsync(CancellationToken.None)).ShouldBe(i);
        }

        var gap = await subscriber.NextAsync(CancellationToken.None);
        gap.Type.ShouldBe("log_gap");
        var body = JsonNode.Parse(Encoding.UTF8.GetString(gap.Utf8.Span))!["body"]!;
        body.Id("agent_id").ShouldBe(Guid.Empty);
        body.Id("stack_id").ShouldBe(stack);
        body["dropped_count"]!.GetValue<long>().ShouldBe(7);
        body.Str("reason").ShouldBe("buffer_full");
        body.Str("since_ts").ShouldBe("2025-03-04T05:06:07Z");

        subscriber.Offer(Frame(WireMessageTypes.PodLogLine, 12)).ShouldBeTrue();
        N(await subscriber.NextAsync(CancellationToken.None)).ShouldBe(12);
    }

    [Fact]
    public async Task A_lagging_fleet_subscriber_skips_silently()
    {
        var subscriber = new LiveSubscriber(stackId: null, capacity: 2, TimeProvider.System);

        for (var i = 1; i <= 5; i++)
        {
            subscriber.Offer(Frame(WireMessageTypes.FleetUpdate, i));
        }

        N(await subscriber.NextAsync(CancellationToken.None)).ShouldBe(1);
        N(await subscriber.NextAsync(CancellationToken.None)).ShouldBe(2);
        subscriber.Offer(Frame(WireMessageTypes.FleetUpdate, 6)).ShouldBeTrue();
        N(await subscriber.NextAsync(CancellationToken.None)).ShouldBe(6);
    }

    [Fact]
    public async Task The_control_lane_goes_first_and_a_full_lane_drops()
    {
        using var socket = WebSocket.CreateFromStream(new MemoryStream(), new WebSocketCreationOptions { IsServer = true });
        var connection = new AgentConnection(Guid.NewGuid(), "hash", new SocketSession(socket, Options, NullLogger.Instance), Options, NullLogger.Instance);

        for (var i = 1; i <= 10; i++)
        {
            connection.TryEnqueue(Frame(WireMessageTypes.PodLogLine, i)).ShouldBe(i <= 8);
        }

        for (var i = 101; i <= 105; i++)
        {
            connection.TryEnqueue(Frame(WireMessageTypes.WorkOrder, i)).ShouldBe(i <= 104);
        }

        var order = new List<int>();
        for (var i = 0; i < 12; i++)
        {
            order.Add(N(await connection.NextAsync(CancellationToken.None)));
        }

        order.ShouldBe([101, 102, 103, 104, 1, 2, 3, 4, 5, 6, 7, 8]);
    }

    [Fact]
    public void Telemetry_for_other_replicas_is_packed_into_payloads_that_fit_a_notify()
    {
        var replica = Guid.NewGuid();
        var stack = Guid.NewGuid();
        var small = Enumerable.Range(1, 100).Select(i => (stack, OutboundFrame.Create(WireMessageTypes.PodLogLine, new { Line = new string('a', 300) }))).ToList();
        var huge = (stack, OutboundFrame.Create(WireMessageTypes.PodLogLine, new { Line = new string('b', 20_000) }));

        var payloads = BusMessages.StackPayloads(replica, [.. small.Take(50), huge, .. small.Skip(50)]);

        payloads.Count(p => !RealtimeBus.FitsNotify(p)).ShouldBe(1);
        payloads.Where(RealtimeBus.FitsNotify).ShouldAllBe(p => Encoding.UTF8.GetByteCount(p) <= RealtimeBus.MaxNotifyBytes);
        payloads.Sum(p => JsonNode.Parse(p)!["items"]!.AsArray().Count).ShouldBe(101);
        payloads.Count.ShouldBeLessThan(20);
    }

    [Fact]
    public void A_snapshot_older_than_a_notification_does_not_undo_it()
    {
        var self = new ReplicaIdentity();
        var other = Guid.NewGuid();
        var cluster = new ClusterState(self);
        var (stale, fresh, gone) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var since = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        cluster.Connected(stale, other, Guid.NewGuid(), since);
        var goneConnection = Guid.NewGuid();
        cluster.Connected(gone, other, goneConnection, since);

        var snapshotFrom = cluster.Version;
        cluster.Connected(fresh, other, Guid.NewGuid(), since);
        cluster.Disconnected(gone, goneConnection);
        // Taken before those two notifications committed: it lacks "fresh" and still has "gone"; "stale" has ended.
        cluster.ApplySnapshot(snapshotFrom, [new SnapshotConnection(gone, other, goneConnection, since)], [new SnapshotReplica(other, 1, [])]);

        cluster.TryGetConnectedSince(fresh, out _).ShouldBeTrue();
        cluster.TryGetConnectedSince(gone, out _).ShouldBeFalse();
        cluster.TryGetConnectedSince(stale, out _).ShouldBeFalse();
        cluster.AnyRemoteFleetSubscribers.ShouldBeTrue();

        cluster.ApplySnapshot(cluster.Version, [], []);
        cluster.TryGetConnectedSince(fresh, out _).ShouldBeFalse();
        cluster.AnyRemoteFleetSubscribers.ShouldBeFalse();
    }

    [Fact]
    public void A_replica_ignores_its_own_presence_and_knows_which_stacks_others_tail()
    {
        var self = new ReplicaIdentity();
        var cluster = new ClusterState(self);
        var stack = Guid.NewGuid();

        cluster.PresenceOf(self.Id, new Presence(3, 1, [stack]));
        cluster.RemoteSubscribesTo(stack).ShouldBeFalse();
        cluster.AnyRemoteFleetSubscribers.ShouldBeFalse();

        cluster.PresenceOf(Guid.NewGuid(), new Presence(0, 1, [stack]));
        cluster.RemoteSubscribesTo(stack).ShouldBeTrue();
        cluster.RemoteSubscribesTo(Guid.NewGuid()).ShouldBeFalse();
    }

    [Fact]
    public void Pushes_are_control_frames_and_frames_keep_the_wire_shape()
    {
        var frame = OutboundFrame.Create(WireMessageTypes.TargetChanged, new { Id = Guid.Empty, AgentId = Guid.Empty, StackId = Guid.Empty });

        frame.IsControl.ShouldBeTrue();
        Frame(WireMessageTypes.PodLogLine, 1).IsControl.ShouldBeFalse();
        Encoding.UTF8.GetString(frame.Utf8.Span).ShouldBe("""{"type":"target_changed","body":{"id":"00000000-0000-0000-0000-000000000000","agent_id":"00000000-0000-0000-0000-000000000000","stack_id":"00000000-0000-0000-0000-000000000000"}}""");
        var relayed = OutboundFrame.FromRaw(JsonDocument.Parse(BusMessages.PushPayload([Guid.NewGuid()], frame)).RootElement.GetProperty("f"));
        relayed.Type.ShouldBe("target_changed");
        relayed.Utf8.ToArray().ShouldBe(frame.Utf8.ToArray());
    }
}
