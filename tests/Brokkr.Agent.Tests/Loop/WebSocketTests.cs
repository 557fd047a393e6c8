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
    private readonly ConcurrentQueue<System.Text.Json.Nodes.JsonObject> _frames = new();
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
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }
                else if (System.Text.Json.Nodes.JsonNode.Parse(message.ToArray()) is System.Text.Json.Nodes.JsonObject frame)
                {
                    _frames.Enqueue(frame);
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

        broker.RevalidatedPolls.ShouldBe(1, "the first full read, at start, asks past any broker cache");
        var socket = _sockets.Last();
        await SendAsync(socket, "not json");
        await SendAsync(socket, """{"type":"stack_changed","body":{"id":"00000000-0000-0000-0000-000000000001"}}""");

        await Eventually.WaitAsync(() => broker.FullPolls >= 2, "a full poll right after the push", TimeSpan.FromSeconds(10));
        agent.Worker.WebSocket!.FramesReceived.ShouldBe(2);
        broker.RevalidatedPolls.ShouldBe(2, "the read a push asked for must not come from a broker cache");
        Directory.Delete(stateDir, recursive: true);
    }

    [Fact]
    public async Task Kubernetes_events_and_pod_logs_of_brokkr_objects_travel_over_the_socket()
    {
        var broker = new FakeBroker();
        var stateDir = Path.Combine(Path.GetTempPath(), "brokkr-agent-tests", Guid.NewGuid().ToString("N"));
        await using var cluster = await TestCluster.StartAsync();
        if (cluster.Fake is not { } fake)
        {
            return; // Plays the kubelet: pod status and logs.
        }

        var ns = cluster.Namespace("tele");
        var stack = Guid.NewGuid();
        var revision = broker.Publish(stack, $$"""
            apiVersion: v1
            kind: Namespace
            metadata: { name: {{ns}} }
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: watched, namespace: {{ns}} }
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: chatty
              namespace: {{ns}}
              annotations: { brokkr.io/stream-logs: "true" }
            spec:
              containers: [{ name: app, image: "busybox:1.36" }]
            """);
        await using var agent = await RunningAgent.StartAsync(broker, cluster, stateDir, new Dictionary<string, string?> { ["agent:ws_url"] = _url.ToString() });
        await Eventually.WaitAsync(() => broker.EventsFor(revision.Id).Any(), "the revision is applied");
        await Eventually.WaitAsync(() => agent.Worker.WebSocket?.State == WebSocketState.Up, "the WebSocket is up");
        fake.Cluster.SetStatus("v1", "Pod", ns, "chatty", Brokkr.FakeKube.FakeStatus.PodRunning());
        fake.Cluster.Apply($"apiVersion: v1\nkind: ConfigMap\nmetadata: {{ name: unrelated, namespace: {ns} }}\n");

        fake.Cluster.RecordEvent(fake.Cluster.Get("v1", "ConfigMap", ns, "unrelated")!, "Noise", "not ours");
        fake.Cluster.RecordEvent(fake.Cluster.Get("v1", "ConfigMap", ns, "watched")!, "Updated", "config changed", "Warning");
        await Eventually.WaitAsync(() => _frames.Any(f => f["type"]!.GetValue<string>() == "k8s_event"), "a k8s_event frame");
        var kubeEvent = _frames.Single(f => f["type"]!.GetValue<string>() == "k8s_event")["body"]!;
        kubeEvent["stack_id"]!.GetValue<string>().ShouldBe(stack.ToString());
        kubeEvent["agent_id"]!.GetValue<string>().ShouldBe(broker.Agent.Id.ToString());
        kubeEvent["reason"]!.GetValue<string>().ShouldBe("Updated");
        kubeEvent["event_type"]!.GetValue<string>().ShouldBe("Warning");
        kubeEvent["involved_object"]!["name"]!.GetValue<string>().ShouldBe("watched");
        kubeEvent["involved_object"]!["kind"]!.GetValue<string>().ShouldBe("ConfigMap");

        await Eventually.WaitAsync(() => agent.Worker.LogTailer is { } tailer && fake.RequestsSince(0).Any(r => r.Path.EndsWith("/pods/chatty/log", StringComparison.Ordinal)), "the log is followed");
        await Task.Delay(300);
        fake.Cluster.AppendPodLog(ns, "chatty", "hello\nworld\n");
        await Eventually.WaitAsync(() => _frames.Count(f => f["type"]!.GetValue<string>() == "pod_log_line") >= 2, "two pod_log_line frames");
        var lines = _frames.Where(f => f["type"]!.GetValue<string>() == "pod_log_line").Select(f => f["body"]!).ToList();
        lines.Select(l => l["line"]!.GetValue<string>()).ShouldBe(["hello", "world"]);
        lines[0]["pod"]!.GetValue<string>().ShouldBe("chatty");
        lines[0]["container"]!.GetValue<string>().ShouldBe("app");
        lines[0]["stack_id"]!.GetValue<string>().ShouldBe(stack.ToString());

        fake.Cluster.AppendPodLog(ns, "chatty", string.Concat(Enumerable.Range(0, 400).Select(i => $"burst {i}\n")));
        await Task.Delay(1500);
        fake.Cluster.AppendPodLog(ns, "chatty", "after\n");
        await Eventually.WaitAsync(() => _frames.Any(f => f["type"]!.GetValue<string>() == "log_gap"), "a log_gap frame");
        var gap = _frames.First(f => f["type"]!.GetValue<string>() == "log_gap")["body"]!;
        gap["reason"]!.GetValue<string>().ShouldBe("rate_limit");
        gap["dropped_count"]!.GetValue<long>().ShouldBeGreaterThan(0);
        _frames.Count(f => f["type"]!.GetValue<string>() == "pod_log_line" && f["body"]!["line"]!.GetValue<string>().StartsWith("burst", StringComparison.Ordinal)).ShouldBeLessThan(400);
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
