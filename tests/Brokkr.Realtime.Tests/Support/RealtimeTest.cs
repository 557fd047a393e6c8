using System.Net.Http.Headers;
using System.Security.Cryptography;
using Brokkr.Realtime.Bus;
using Brokkr.Realtime.Channel;
using Brokkr.Realtime.Cluster;
using Brokkr.Realtime.Live;
using Brokkr.Shared.Data;
using Mediator;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Brokkr.Realtime.Tests.Support;

/// <summary>Sockets, subscriptions and bus messages against an in-process broker, each waiting until the broker has taken it in.</summary>
internal static class RealtimeTest
{
    public static async Task ReadyAsync(this WebApplicationFactory<Program> api)
        => await api.Services.GetRequiredService<BusListener>().Listening.WaitAsync(TestSocket.Patience);

    public static Task TickAsync(this WebApplicationFactory<Program> api)
        => api.Services.GetRequiredService<ReplicaTicker>().TickAsync(revalidate: false, CancellationToken.None);

    public static T Get<T>(this WebApplicationFactory<Program> api)
        where T : notnull => api.Services.GetRequiredService<T>();

    /// <summary>An agent's socket, once this broker holds it.</summary>
    public static async Task<TestSocket> ConnectAgentAsync(this WebApplicationFactory<Program> api, Guid agentId, string pak)
    {
        await api.ReadyAsync();
        var sockets = api.Get<AgentSockets>();
        var previous = sockets.TryGet(agentId, out var old) ? old.ConnectionId : Guid.Empty;
        var client = api.Server.CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Authorization = $"Bearer {pak}";
        var socket = new TestSocket(await client.ConnectAsync(Url(api, "/internal/ws/agent"), CancellationToken.None));
        await EventuallyAsync(() => sockets.TryGet(agentId, out var held) && held.ConnectionId != previous, $"agent {agentId} registered");
        return socket;
    }

    /// <summary>A live subscription (a stack's or the fleet's), once this broker counts it.</summary>
    public static async Task<TestSocket> SubscribeAsync(this WebApplicationFactory<Program> api, string path, string pak, bool viaSubprotocol = false)
    {
        await api.ReadyAsync();
        var hub = api.Get<LiveHub>();
        var before = hub.FleetSubscribers + hub.StackSubscribers;
        var client = api.Server.CreateWebSocketClient();
        if (viaSubprotocol)
        {
            client.SubProtocols.Add($"brokkr.pak.{pak}");
            client.SubProtocols.Add("brokkr.v1");
        }
        else
        {
            client.ConfigureRequest = request => request.Headers.Authorization = $"Bearer {pak}";
        }

        var socket = new TestSocket(await client.ConnectAsync(Url(api, path), CancellationToken.None));
        await EventuallyAsync(() => hub.FleetSubscribers + hub.StackSubscribers > before, $"subscription to {path} counted");
        return socket;
    }

    /// <summary>The status code of a refused upgrade.</summary>
    public static async Task<string> RefusedUpgradeAsync(this WebApplicationFactory<Program> api, string path, string? pak, params string[] subprotocols)
    {
        var client = api.Server.CreateWebSocketClient();
        if (pak is not null)
        {
            client.ConfigureRequest = request => request.Headers.Authorization = $"Bearer {pak}";
        }

        foreach (var subprotocol in subprotocols)
        {
            client.SubProtocols.Add(subprotocol);
        }

        var refused = await Should.ThrowAsync<InvalidOperationException>(() => client.ConnectAsync(Url(api, path), CancellationToken.None));
        return refused.Message;
    }

    /// <summary>Publishes in a transaction of its own on the request connection, as a module's command would.</summary>
    public static async Task PublishInTransactionAsync(this WebApplicationFactory<Program> api, INotification notification, bool commit = true)
    {
        await api.ReadyAsync();
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BrokkrDb>();
        await using var transaction = await db.BeginTransactionAsync();
        await scope.ServiceProvider.GetRequiredService<IPublisher>().Publish(notification);
        if (commit)
        {
            await transaction.CommitAsync();
        }
        else
        {
            await transaction.RollbackAsync();
        }
    }

    /// <summary>A plain GET carrying the WebSocket upgrade headers, to see a refusal's envelope.</summary>
    public static Task<HttpResponseMessage> GetUpgradeAsync(this HttpClient client, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));
        return client.SendAsync(request);
    }

    public static async Task EventuallyAsync(Func<bool> condition, string what)
        => await EventuallyAsync(() => Task.FromResult(condition()), what);

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TestSocket.Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new ShouldAssertException($"not within {TestSocket.Patience}: {what}");
            }

            await Task.Delay(20);
        }
    }

    public static bool ConnectedAnywhere(this WebApplicationFactory<Program> api, Guid agentId)
        => api.Get<ClusterState>().TryGetConnectedSince(agentId, out _);

    private static Uri Url(WebApplicationFactory<Program> api, string path) => new(api.Server.BaseAddress, path.TrimStart('/'));
}

/// <summary>A generator, a stack it owns, and an agent registered with it, made through the API.</summary>
public sealed record World(Guid GeneratorId, string GeneratorPak, Guid StackId, Guid AgentId, string AgentPak)
{
    public static async Task<World> CreateAsync(BrokkrApiFactory api)
    {
        var given = new Scenario(api);
        var generator = await given.GeneratorAsync();
        var stack = await given.StackAsync(generator.Id);
        var agent = await given.AgentAsync(generatorIds: generator.Id);
        return new World(generator.Id, generator.Pak, stack, agent.Id, agent.Pak);
    }
}

/// <summary>Wire bodies as an agent sends them.</summary>
internal static class Bodies
{
    public static object Heartbeat(Guid agentId, bool? reachable = null, long? latency = null)
        => new { agent_id = agentId, sent_at = DateTime.UtcNow, k8s_reachable = reachable, k8s_api_latency_ms = latency };

    public static object K8sEvent(Guid agentId, Guid stackId, string reason = "Scheduled")
        => new
        {
            agent_id = agentId,
            stack_id = stackId,
            observed_at = DateTime.UtcNow,
            reason,
            message = "Successfully assigned default/web-0 to node-1",
            event_type = "Normal",
            source = "default-scheduler",
            involved_object = new { api_version = "v1", kind = "Pod", @namespace = "default", name = "web-0", uid = "f1d0c5e2" },
        };

    public static object PodLogLine(Guid agentId, Guid stackId, string line)
        => new { agent_id = agentId, stack_id = stackId, @namespace = "default", pod = "web-0", container = "web", ts = DateTime.UtcNow, line };
}

/// <summary>A target_changed body, as the Agents module pushes it.</summary>
public sealed record TargetBody(Guid Id, Guid AgentId, Guid StackId);
