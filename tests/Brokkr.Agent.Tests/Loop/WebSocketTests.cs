using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Brokkr.Agent.Configuration;
using Brokkr.Agent.Realtime;
using Brokkr.Agent.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WebSocketState = Brokkr.Agent.Realtime.WebSocketState;

namespace Brokkr.Agent.Tests.Loop;

/// <summary>The WebSocket accelerator against a stand-in for the broker's <c>/internal/ws/agent</c>.</summary>
public sealed class WebSocketTests : IAsyncLifetime
{
    private WebApplication _server = null!;
    private Uri _url = null!;
    private readonly ConcurrentQueue<string?> _authorizations = new();
    private readonly ConcurrentQueue<WebSocket> _sockets = new();
    private volatile bool _refuse;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.UseWebSockets();
        _server.Map("/internal/ws/agent", async (HttpContext context) =>
        {
            _authorizations.Enqueue(context.Request.Headers.Authorization.ToString());
            if (_refuse || !context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            var socket = await context.WebSockets.AcceptWebSocketAsync();
            _sockets.Enqueue(socket);
            var buffer = new byte[1024];
            while (socket.State == System.Net.WebSockets.WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }
            }
        });
        await _server.StartAsync();
        var address = new Uri(_server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        _url = new Uri($"ws://127.0.0.1:{address.Port}/internal/ws/agent");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static Task SendAsync(WebSocket socket, string text) => socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    [Fact]
    public async Task A_stack_push_makes_the_agent_read_its_full_target_state_at_once()
    {
        var broker = new FakeBroker();
        var stateDir = Path.Combine(Path.GetTempPath(), "brokkr-agent-tests", Guid.NewGuid().ToString("N"));
        await using var cluster = await TestCluster.StartAsync();
        await using var agent = await RunningAgent.StartAsync(broker, cluster, stateDir, new Dictionary<string, string?>
        {
            ["agent:ws_url"] = _url.ToString(),
            ["agent:polling_interval"] = "60",
        });
        await agent.WaitUntilRunningAsync();
        await Eventually.WaitAsync(() => agent.Worker.WebSocket?.State == WebSocketState.Up && !_sockets.IsEmpty, "the WebSocket is up");
        await Eventually.WaitAsync(() => broker.FullPolls == 1, "the first full poll");
        _authorizations.First().ShouldBe("Bearer brokkr_BRtest00_x");

        var socket = _sockets.Last();
        await SendAsync(socket, "not json");
        await SendAsync(socket, """{"type":"stack_changed","body":{"id":"00000000-0000-0000-0000-000000000001"}}""");

        await Eventually.WaitAsync(() => broker.FullPolls >= 2, "a full poll right after the push", TimeSpan.FromSeconds(10));
        agent.Worker.WebSocket!.FramesReceived.ShouldBe(2);
        Directory.Delete(stateDir, recursive: true);
    }

    [Fact]
    public async Task Five_refused_upgrades_in_a_row_leave_the_agent_on_rest_until_restart()
    {
        _refuse = true;
        var socket = new AgentWebSocket(new AgentOptions { Pak = "brokkr_BRtest00_x", WsUrl = _url.ToString() }, _ => { }, TimeProvider.System,
            NullLogger<AgentWebSocket>.Instance, initialBackoff: TimeSpan.FromMilliseconds(10));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await socket.RunAsync(timeout.Token);

        socket.State.ShouldBe(WebSocketState.AuthRejected);
        _authorizations.Count.ShouldBe(AgentWebSocket.MaxAuthFailures);
    }

    [Fact]
    public async Task Force_rest_never_connects()
    {
        var socket = new AgentWebSocket(new AgentOptions { Pak = "p", WsUrl = _url.ToString(), WsForceRest = true }, _ => { }, TimeProvider.System, NullLogger<AgentWebSocket>.Instance);
        await socket.RunAsync(CancellationToken.None);
        socket.State.ShouldBe(WebSocketState.ForceRestOnly);
        _authorizations.ShouldBeEmpty();
    }
}
