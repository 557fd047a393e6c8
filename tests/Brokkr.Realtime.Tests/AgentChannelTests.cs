using System.Net.WebSockets;
using Brokkr.Contracts.Realtime;

namespace Brokkr.Realtime.Tests;

/// <summary>The agent's socket (behaviour §11): who may open it, pushes, the uplink, one socket per agent, closing.</summary>
public sealed class AgentChannelTests(RealtimeApiFactory api) : IClassFixture<RealtimeApiFactory>
{
    [Fact]
    public async Task Upgrade_without_a_pak_is_refused_with_401()
    {
        (await api.RefusedUpgradeAsync("/internal/ws/agent", pak: null)).ShouldContain("401");
        await (await api.Anonymous().GetUpgradeAsync("/internal/ws/agent")).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Upgrade_with_an_admin_or_generator_pak_is_refused_with_403_before_the_upgrade()
    {
        var world = await World.CreateAsync(api);

        (await api.RefusedUpgradeAsync("/internal/ws/agent", BrokkrApiFactory.AdminPak.Value)).ShouldContain("403");
        (await api.RefusedUpgradeAsync("/internal/ws/agent", world.GeneratorPak)).ShouldContain("403");
        await (await api.Admin().GetUpgradeAsync("/internal/ws/agent")).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_required");
        await (await api.WithPak(world.GeneratorPak).GetUpgradeAsync("/internal/ws/agent")).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_required");
    }

    [Fact]
    public async Task A_plain_get_with_an_agent_pak_is_400_and_the_browser_subprotocol_is_not_accepted_here()
    {
        var world = await World.CreateAsync(api);

        await (await api.WithPak(world.AgentPak).GetAsync("/internal/ws/agent")).ShouldFailAsync(HttpStatusCode.BadRequest, "websocket_upgrade_required");
        (await api.RefusedUpgradeAsync("/internal/ws/agent", pak: null, $"brokkr.pak.{world.AgentPak}", "brokkr.v1")).ShouldContain("401");
    }

    [Fact]
    public async Task WebSocket_endpoints_are_not_in_the_openapi_document_and_the_admin_snapshot_is_under_its_reference_id()
    {
        var text = await api.Anonymous().GetStringAsync("/docs/openapi.json");
        var operation = JsonNode.Parse(text)!["paths"]!["/admin/ws/connections"]!["get"]!;

        text.ShouldNotContain("/internal/ws");
        text.ShouldNotContain("/live");
        operation.Str("operationId").ShouldBe("list_ws_connections");
        operation["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["admin"]);
    }

    [Fact]
    public async Task A_push_reaches_the_agent_as_a_type_and_body_text_frame()
    {
        var world = await World.CreateAsync(api);
        await using var socket = await api.ConnectAgentAsync(world.AgentId, world.AgentPak);
        var target = new TargetBody(Guid.NewGuid(), world.AgentId, world.StackId);

        await api.PublishInTransactionAsync(new PushToAgents([world.AgentId, Guid.NewGuid()], WireMessageTypes.TargetChanged, target));

        var frame = await socket.ReceiveAsync();
        frame.ShouldHaveExactKeys("type", "body");
        frame.Str("type").ShouldBe("target_changed");
        frame["body"]!.ShouldHaveExactKeys("id", "agent_id", "stack_id");
        frame["body"]!.Id().ShouldBe(target.Id);
        frame["body"]!.Id("agent_id").ShouldBe(world.AgentId);
        frame["body"]!.Id("stack_id").ShouldBe(world.StackId);
    }

    [Fact]
    public async Task A_push_leaves_only_after_commit_and_never_for_a_rollback()
    {
        var world = await World.CreateAsync(api);
        await using var socket = await api.ConnectAgentAsync(world.AgentId, world.AgentPak);
        var rolledBack = new TargetBody(Guid.NewGuid(), world.AgentId, world.StackId);
        var committed = new TargetBody(Guid.NewGuid(), world.AgentId, world.StackId);
        var later = new TargetBody(Guid.NewGuid(), world.AgentId, world.StackId);

        await api.PublishInTransactionAsync(new PushToAgents([world.AgentId], WireMessageTypes.TargetChanged, rolledBack), commit: false);
        await using (var scope = api.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Brokkr.Shared.Data.BrokkrDb>();
            await using var transaction = await db.BeginTransactionAsync();
            await scope.ServiceProvider.GetRequiredService<Mediator.IPublisher>().Publish(new PushToAgents([world.AgentId], WireMessageTypes.TargetChanged, committed));
            // While that transaction is open, a push committed by someone else overtakes it.
            await api.PublishInTransactionAsync(new PushToAgents([world.AgentId], WireMessageTypes.TargetChanged, later));
            (await socket.ReceiveAsync())["body"]!.Id().ShouldBe(later.Id);
            await transaction.CommitAsync();
        }

        (await socket.ReceiveAsync())["body"]!.Id().ShouldBe(committed.Id);
        await socket.ShouldReceiveNothingAsync(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task A_push_larger_than_a_notify_payload_travels_through_the_message_table()
    {
        var world = await World.CreateAsync(api);
        await using var socket = await api.ConnectAgentAsync(world.AgentId, world.AgentPak);
        var yaml = new string('x', 20_000);

        await api.PublishInTransactionAsync(new PushToAgents([world.AgentId], WireMessageTypes.StackChanged, new { Id = world.StackId, YamlContent = yaml }));

        var frame = await socket.ReceiveAsync();
        frame.Str("type").ShouldBe("stack_changed");
        frame["body"]!.Str("yaml_content").ShouldBe(yaml);
        (await api.ScalarAsync<long>("SELECT count(*) FROM realtime_messages")).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Frames_that_are_bad_or_not_the_agents_own_are_dropped_and_the_socket_stays_open()
    {
        var world = await World.CreateAsync(api);
        var other = await new Scenario(api).AgentAsync();
        await using var socket = await api.ConnectAgentAsync(world.AgentId, world.AgentPak);

        await socket.SendTextAsync("not json at all");
        await socket.SendTextAsync("{}");
        await socket.SendTextAsync("""{"type":"heartbeat","body":"nope"}""");
        await socket.SendFrameAsync("no_such_type", new { agent_id = world.AgentId });
        await socket.SendFrameAsync("work_order", new { id = Guid.NewGuid(), agent_id = world.AgentId });
        await socket.SendFrameAsync("heartbeat", Bodies.Heartbeat(other.Id, reachable: true, latency: 5));
        await socket.SendFrameAsync("agent_event", new { agent_id = world.AgentId, deployment_object_id = "not-a-uuid" });
        await socket.SendFrameAsync("log_gap", new { agent_id = world.AgentId, stack_id = world.StackId, since_ts = DateTime.UtcNow, dropped_count = 3, reason = "bored" });
        await socket.Socket.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None);

        var target = new TargetBody(Guid.NewGuid(), world.AgentId, world.StackId);
        await api.PublishInTransactionAsync(new PushToAgents([world.AgentId], WireMessageTypes.TargetChanged, target));
        (await socket.ReceiveAsync())["body"]!.Id().ShouldBe(target.Id);
        socket.Socket.State.ShouldBe(WebSocketState.Open);
        (await (await api.Admin().GetAsync($"/api/v1/agents/{other.Id}")).JsonAsync(HttpStatusCode.OK))["last_heartbeat"].ShouldBeNull();
    }

    [Fact]
    public async Task A_new_connection_replaces_the_old_one_which_gets_a_close_frame()
    {
        var world = await World.CreateAsync(api);
        await using var first = await api.ConnectAgentAsync(world.AgentId, world.AgentPak);
        await using var second = await api.ConnectAgentAsync(world.AgentId, world.AgentPak);

        (await first.ReceiveCloseAsync()).ShouldBe(WebSocketCloseStatus.NormalClosure);
        var target = new TargetBody(Guid.NewGuid(), world.AgentId, world.StackId);
        await api.PublishInTransactionAsync(new PushToAgents([world.AgentId], WireMessageTypes.TargetChanged, target));
        (await second.ReceiveAsync())["body"]!.Id().ShouldBe(target.Id);
        api.Get<Channel.AgentSockets>().TryGet(world.AgentId, out var held).ShouldBeTrue();
        api.ConnectedAnywhere(world.AgentId).ShouldBeTrue();
    }

    [Fact]
    public async Task Rotating_the_agents_pak_closes_its_socket()
    {
        var world = await World.CreateAsync(api);
        await using var socket = await api.ConnectAgentAsync(world.AgentId, world.AgentPak);

        await (await api.Admin().PostAsync($"/api/v1/agents/{world.AgentId}/rotate-pak", null)).JsonAsync(HttpStatusCode.OK);

        (await socket.ReceiveCloseAsync()).ShouldBe(WebSocketCloseStatus.PolicyViolation);
        await RealtimeTest.EventuallyAsync(() => !api.ConnectedAnywhere(world.AgentId), "agent no longer connected");
        (await api.RefusedUpgradeAsync("/internal/ws/agent", world.AgentPak)).ShouldContain("401");
    }

    [Fact]
    public async Task Deleting_the_agent_closes_its_socket()
    {
        var world = await World.CreateAsync(api);
        await using var socket = await api.ConnectAgentAsync(world.AgentId, world.AgentPak);

        (await api.Admin().DeleteAsync($"/api/v1/agents/{world.AgentId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await socket.ReceiveCloseAsync()).ShouldBe(WebSocketCloseStatus.PolicyViolation);
    }

    [Fact]
    public async Task Admin_connections_list_the_socket_with_its_counters_and_are_admin_only()
    {
        var world = await World.CreateAsync(api);
        await using var socket = await api.ConnectAgentAsync(world.AgentId, world.AgentPak);
        await api.PublishInTransactionAsync(new PushToAgents([world.AgentId], WireMessageTypes.TargetChanged, new TargetBody(Guid.NewGuid(), world.AgentId, world.StackId)));
        await socket.ReceiveAsync();
        await socket.SendFrameAsync("log_gap", new { agent_id = world.AgentId, stack_id = world.StackId, since_ts = DateTime.UtcNow, dropped_count = 3, reason = "rate_limit" });

        JsonNode? mine = null;
        await RealtimeTest.EventuallyAsync(async () =>
        {
            var body = await (await api.Admin().GetAsync("/api/v1/admin/ws/connections")).JsonAsync(HttpStatusCode.OK);
            body.ShouldHaveExactKeys("connected_agents", "connections", "live_subscribers");
            mine = body["connections"]!.AsArray().SingleOrDefault(c => c!.Id("agent_id") == world.AgentId);
            return mine?["messages_in"]!.GetValue<long>() == 1;
        }, "messages_in counted");
        mine.ShouldNotBeNull();
        mine.ShouldHaveExactKeys("agent_id", "connected_since", "messages_in", "messages_out");
        mine["messages_out"]!.GetValue<long>().ShouldBe(1);
        mine.Str("connected_since").ShouldEndWith("Z");

        await (await api.WithPak(world.GeneratorPak).GetAsync("/api/v1/admin/ws/connections")).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        await (await api.WithPak(world.AgentPak).GetAsync("/api/v1/admin/ws/connections")).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
    }

    [Fact]
    public async Task A_replica_tick_rewrites_a_connection_row_only_when_its_counters_changed()
    {
        var world = await World.CreateAsync(api);
        await using var socket = await api.ConnectAgentAsync(world.AgentId, world.AgentPak);
        await socket.SendFrameAsync("log_gap", new { agent_id = world.AgentId, stack_id = world.StackId, since_ts = DateTime.UtcNow, dropped_count = 1, reason = "rate_limit" });
        await RealtimeTest.EventuallyAsync(() => api.Get<Channel.AgentSockets>().TryGet(world.AgentId, out var c) && c.MessagesIn == 1, "frame counted");
        await api.TickAsync();
        var (version, messagesIn) = await RowAsync(world.AgentId);
        messagesIn.ShouldBe(1);

        await api.TickAsync();
        await api.TickAsync();
        (await RowAsync(world.AgentId)).ShouldBe((version, 1L));

        await socket.SendFrameAsync("log_gap", new { agent_id = world.AgentId, stack_id = world.StackId, since_ts = DateTime.UtcNow, dropped_count = 1, reason = "rate_limit" });
        await RealtimeTest.EventuallyAsync(() => api.Get<Channel.AgentSockets>().TryGet(world.AgentId, out var c) && c.MessagesIn == 2, "second frame counted");
        await api.TickAsync();
        var (after, count) = await RowAsync(world.AgentId);
        count.ShouldBe(2);
        after.ShouldNotBe(version);
    }

    /// <summary>The row's version (xmin changes with every rewrite) and its inbound counter.</summary>
    private async Task<(string Version, long MessagesIn)> RowAsync(Guid agentId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT xmin::text, messages_in FROM realtime_connections WHERE agent_id = $1", connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter<Guid> { TypedValue = agentId });
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).ShouldBeTrue();
        return (reader.GetString(0), reader.GetInt64(1));
    }

    [Fact]
    public async Task The_websocket_metrics_are_exported()
    {
        var world = await World.CreateAsync(api);
        await using var socket = await api.ConnectAgentAsync(world.AgentId, world.AgentPak);
        await api.PublishInTransactionAsync(new PushToAgents([world.AgentId], WireMessageTypes.TargetChanged, new TargetBody(Guid.NewGuid(), world.AgentId, world.StackId)));
        await socket.ReceiveAsync();

        var metrics = await api.Anonymous().GetStringAsync("/metrics");

        metrics.ShouldContain("brokkr_ws_connected_agents ");
        metrics.ShouldContain("brokkr_ws_messages_total{direction=\"out\",type=\"target_changed\"}");
        metrics.ShouldContain("brokkr_ws_live_subscribers ");
        metrics.ShouldContain("brokkr_fleet_live_subscribers ");
        metrics.ShouldContain("brokkr_ws_dropped_total");
    }
}
