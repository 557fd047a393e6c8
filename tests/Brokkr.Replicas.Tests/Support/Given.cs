using System.Net.WebSockets;
using System.Text;

namespace Brokkr.Replicas.Tests.Support;

/// <summary>Builds what a test needs through the public API of whichever replica it is given.</summary>
public static class Given
{
    public const string Yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: default\ndata:\n  k: v\n";

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static async Task<(Guid Id, string Pak)> GeneratorAsync(this HttpClient admin)
    {
        var body = await (await admin.PostJsonAsync("/api/v1/generators", new { name = Unique("gen") })).JsonAsync(HttpStatusCode.Created);
        return (body["generator"]!.Id(), body.Str("pak"));
    }

    public static async Task<(Guid Id, string Pak)> AgentAsync(this HttpClient admin, params Guid[] generatorIds)
    {
        var body = await (await admin.PostJsonAsync("/api/v1/agents", new { name = Unique("agent"), cluster_name = "cluster-a", generator_ids = generatorIds }))
            .JsonAsync(HttpStatusCode.Created);
        return (body["agent"]!.Id(), body.Str("initial_pak"));
    }

    public static async Task<Guid> StackAsync(this HttpClient admin, Guid generatorId)
    {
        var body = await (await admin.PostJsonAsync("/api/v1/stacks", new { name = Unique("stack"), description = (string?)null, generator_id = generatorId }))
            .JsonAsync(HttpStatusCode.Created);
        return body.Id();
    }

    public static async Task<ClientWebSocket> ConnectAgentAsync(this BrokerProcess broker, string agentPak)
    {
        var client = new ClientWebSocket();
        client.Options.SetRequestHeader("Authorization", $"Bearer {agentPak}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(new UriBuilder(new Uri(broker.Url, "/internal/ws/agent")) { Scheme = "ws" }.Uri, timeout.Token);
        return client;
    }

    /// <summary>The next text frame of that type, skipping others; fails after the patience.</summary>
    public static async Task<JsonNode> ReceiveAsync(this ClientWebSocket socket, string type, TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    throw new ShouldAssertException($"socket closed ({result.CloseStatus}) while a {type} frame was expected");
                }

                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            var frame = JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray()))!;
            if (frame["type"]?.GetValue<string>() == type)
            {
                return frame;
            }
        }
    }

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new ShouldAssertException($"not within {patience}: {what}");
            }

            await Task.Delay(100);
        }
    }
}
