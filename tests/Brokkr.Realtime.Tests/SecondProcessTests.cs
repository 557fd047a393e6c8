using System.Net.WebSockets;

namespace Brokkr.Realtime.Tests;

/// <summary>
/// A second broker as a separate OS process (<c>dotnet Brokkr.Host.dll serve</c>) on the same
/// database: what changes through this broker reaches an agent connected to that one, and SIGTERM
/// closes its sockets with a close frame.
/// </summary>
public sealed class SecondProcessTests(RealtimeApiFactory api) : IClassFixture<RealtimeApiFactory>
{
    [Fact]
    public async Task A_target_added_through_this_broker_reaches_an_agent_connected_to_another_broker_process()
    {
        var world = await World.CreateAsync(api);
        await api.ReadyAsync();
        await using var broker = await BrokerProcess.StartAsync(api.ConnectionString);

        using var http = new HttpClient { BaseAddress = broker.Url };
        http.DefaultRequestHeaders.Authorization = new("Bearer", BrokkrApiFactory.AdminPak.Value);
        await (await http.GetUpgradeAsync("/internal/ws/agent")).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_required");

        var client = new ClientWebSocket();
        client.Options.SetRequestHeader("Authorization", $"Bearer {world.AgentPak}");
        await client.ConnectAsync(new UriBuilder(new Uri(broker.Url, "/internal/ws/agent")) { Scheme = "ws" }.Uri, CancellationToken.None);
        await using var socket = new TestSocket(client);
        await RealtimeTest.EventuallyAsync(() => api.ConnectedAnywhere(world.AgentId), "this broker learnt of the other's connection");

        await new Scenario(api).TargetAsync(world.AgentId, world.StackId);

        var frame = await socket.ReceiveAsync("target_changed");
        frame["body"]!.Id("agent_id").ShouldBe(world.AgentId);
        frame["body"]!.Id("stack_id").ShouldBe(world.StackId);

        broker.Terminate();
        (await socket.ReceiveCloseAsync(skipFrames: true)).ShouldBe(WebSocketCloseStatus.EndpointUnavailable);
        (await broker.WaitForExitAsync()).ShouldBe(0, broker.Output);
        await RealtimeTest.EventuallyAsync(() => !api.ConnectedAnywhere(world.AgentId), "this broker learnt of the disconnection");
    }
}
