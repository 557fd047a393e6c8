using System.Net.WebSockets;

namespace Brokkr.Realtime.Tests;

/// <summary>A stopping broker says goodbye on every socket (1001) rather than holding up its shutdown.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_the_broker_closes_agent_and_subscriber_sockets_with_going_away()
    {
        var api = new RealtimeApiFactory();
        IAsyncLifetime lifetime = api;
        await lifetime.InitializeAsync();
        var world = await World.CreateAsync(api);
        await using var agent = await api.ConnectAgentAsync(world.AgentId, world.AgentPak);
        await using var fleet = await api.SubscribeAsync("/api/v1/fleet/live", BrokkrApiFactory.AdminPak.Value);
        await using var stack = await api.SubscribeAsync($"/api/v1/stacks/{world.StackId}/live", BrokkrApiFactory.AdminPak.Value);
        var closes = Task.WhenAll(agent.ReceiveCloseAsync(skipFrames: true), fleet.ReceiveCloseAsync(skipFrames: true), stack.ReceiveCloseAsync(skipFrames: true));

        await lifetime.DisposeAsync();

        (await closes).ShouldAllBe(status => status == WebSocketCloseStatus.EndpointUnavailable);
    }
}
