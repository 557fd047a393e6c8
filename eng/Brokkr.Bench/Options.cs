using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Brokkr.Bench;

internal sealed record Options(Uri Url, string AdminPak, int Agents, int Stacks, int ObjectsPerStack, int Concurrency, TimeSpan Duration, string? Only)
{
    public const string Usage = """
        usage: Brokkr.Bench --url URL --admin-pak PAK [--agents N] [--stacks N] [--objects N] [--concurrency N]
                            [--duration SECONDS] [--only healthz,target-state,not-modified,heartbeat,events,events-batch]
                            [--subscribe on]   (a deployment.* webhook subscription first: the outbox active)
               --only websocket [--sockets N] [--ramp N] [--broker-pid PID]   (alone; see WebSocketScenario)
               --only agent [--agent-objects N] [--namespaces N] [--cycles N]    (alone; see AgentScenario)
        """;

    /// <summary>Every --name value given, for the options only one scenario reads.</summary>
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>();

    public int Int(string name, int fallback) => Values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public static Options? Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                return null;
            }

            values[args[i][2..]] = args[i + 1];
        }

        if (args.Length % 2 != 0 || !values.TryGetValue("url", out var url) || !values.TryGetValue("admin-pak", out var pak))
        {
            return null;
        }

        int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new Options(new Uri(url.TrimEnd('/') + "/"), pak, Int("agents", 2000), Int("stacks", 20), Int("objects", 3),
            Int("concurrency", 64), TimeSpan.FromSeconds(Int("duration", 15)),
            values.GetValueOrDefault("only")) { Values = values };
    }
}
