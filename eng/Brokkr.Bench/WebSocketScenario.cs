using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace Brokkr.Bench;

/// <summary>
/// Issue 6's socket fleet: N agents hold <c>/internal/ws/agent</c> open at once, each with its own PAK
/// exactly as the agent connects (bearer header, 30 s client keep-alive); the broker's memory is read
/// before and with all of them open; then one new deployment object on a stack targeted to every agent
/// makes the broker push <c>stack_changed</c> to all of them, timed from the change's HTTP response to
/// each socket's frame.
/// </summary>
internal static class WebSocketScenario
{
    public static async Task<int> RunAsync(HttpClient http, Options options, Seed seed)
    {
        var count = Math.Min(options.Int("sockets", seed.Agents.Count), seed.Agents.Count);
        var ramp = options.Int("ramp", 250);
        var agents = seed.Agents.Take(count).ToArray();
        var memory = new BrokerMemory(http, options);

        // One stack of the seed's generator, targeted to every connecting agent: the change below reaches all of them.
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var stack = await Load.SendJsonAsync(http, HttpMethod.Post, "api/v1/stacks", options.AdminPak,
            new Dictionary<string, object?> { ["name"] = $"bench-ws-{suffix}", ["generator_id"] = seed.GeneratorId, ["description"] = "every agent" });
        var stackId = stack!["id"]!.GetValue<Guid>();
        var clock = Stopwatch.StartNew();
        await Load.ForEachAsync(agents, 32, agent => Load.SendJsonAsync(http, HttpMethod.Post, $"api/v1/agents/{agent.Id}/targets", options.AdminPak,
            new Dictionary<string, object?> { ["agent_id"] = agent.Id, ["stack_id"] = stackId }));
        Console.Error.WriteLine($"bench: websocket: {count} agents targeted to stack {stackId} in {clock.Elapsed.TotalSeconds:F1} s");

        var before = await memory.ReadAsync();
        var sockets = new Socket[count];
        var url = new Uri(options.Url, "internal/ws/agent");
        url = new UriBuilder(url) { Scheme = url.Scheme == "https" ? "wss" : "ws" }.Uri;
        long errors = 0;
        string? firstError = null;
        clock.Restart();
        for (var start = 0; start < count; start += ramp)
        {
            var batch = Enumerable.Range(start, Math.Min(ramp, count - start));
            await Task.WhenAll(batch.Select(async i =>
            {
                var socket = new Socket(agents[i], stackId.ToString());
                sockets[i] = socket;
                try
                {
                    await socket.ConnectAsync(url);
                }
                catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, $"{(int)socket.Client.HttpStatusCode} {ex.Message}", null);
                }
            }));
            if ((start / ramp) % 8 == 7)
            {
                Console.Error.WriteLine($"bench: websocket: {start + ramp}/{count} connects ({clock.Elapsed.TotalSeconds:F0} s, {Interlocked.Read(ref errors)} errors)");
            }
        }

        var rampTook = clock.Elapsed;
        // Let the broker finish recording the connections (one INSERT + NOTIFY each) and settle.
        await Task.Delay(TimeSpan.FromSeconds(options.Int("settle", 5)));
        var open = sockets.Count(s => s.IsOpen);
        var with = await memory.ReadAsync();

        // The change: a new revision of the shared stack; every associated agent gets stack_changed.
        foreach (var socket in sockets)
        {
            socket.Arm();
        }

        var yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bench-ws\n  namespace: bench\ndata:\n  k: v\n";
        var sent = Stopwatch.GetTimestamp();
        await Load.SendJsonAsync(http, HttpMethod.Post, $"api/v1/stacks/{stackId}/deployment-objects", options.AdminPak,
            new Dictionary<string, object?> { ["yaml_content"] = yaml, ["is_deletion_marker"] = false });
        var answered = Stopwatch.GetTimestamp();
        var deadline = TimeSpan.FromSeconds(options.Int("push-wait", 15));
        var waiting = Stopwatch.StartNew();
        while (waiting.Elapsed < deadline && sockets.Any(s => s.IsOpen && s.PushedAt == 0))
        {
            await Task.Delay(20);
        }

        var latencies = sockets.Where(s => s.PushedAt != 0)
            .Select(s => Math.Max(0, Stopwatch.GetElapsedTime(answered, s.PushedAt).TotalMilliseconds))
            .Order().ToArray();
        var stillOpen = sockets.Count(s => s.IsOpen);
        var closedEarly = sockets.Count(s => s.Closed is not null);
        var closeReason = sockets.Select(s => s.Closed).FirstOrDefault(c => c is not null);

        Console.Error.WriteLine("bench: websocket: closing the sockets");
        await Load.ForEachAsync(sockets, 256, s => s.CloseAsync());

        double Percentile(double p) => latencies.Length == 0 ? double.NaN : latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)];
        var max = latencies.Length == 0 ? double.NaN : latencies[^1];
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"# eng/bench websocket: {options.Url} | {count} agent sockets (of {seed.Agents.Count} agents), ramp {ramp} at a time | " +
            $"client: {Environment.ProcessorCount} cpus, .NET {Environment.Version}");
        Console.WriteLine();
        Console.WriteLine("| figure | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine(string.Create(inv, $"| sockets connected | {open} of {count} ({rampTook.TotalSeconds:F1} s to open, {count / rampTook.TotalSeconds:F0}/s) |"));
        Console.WriteLine($"| connect errors | {errors} |");
        Console.WriteLine($"| broker memory ({memory.Source}) before | {BrokerMemory.Format(before)} |");
        Console.WriteLine($"| broker memory with all sockets open | {BrokerMemory.Format(with)} |");
        if (before is { } b && with is { } w && open > 0)
        {
            Console.WriteLine(string.Create(inv, $"| per socket (difference / sockets) | {(w - b) / 1024.0 / open:F1} KiB |"));
        }

        Console.WriteLine(string.Create(inv, $"| change (POST deployment-object) took | {Stopwatch.GetElapsedTime(sent, answered).TotalMilliseconds:F1} ms |"));
        Console.WriteLine($"| stack_changed received | {latencies.Length} of {open} open |");
        Console.WriteLine(string.Create(inv, $"| push p50 / p99 / max after the response | {Percentile(0.50):F1} / {Percentile(0.99):F1} / {max:F1} ms |"));
        Console.WriteLine($"| sockets closed by the broker during the run | {closedEarly}{(closeReason is null ? string.Empty : $" (first: {closeReason})")} |");
        Console.WriteLine();
        Console.WriteLine("Goals of issue 6:");
        var memoryOk = with is { } m && m < 1024L * 1024 * 1024;
        Console.WriteLine($"  {(memoryOk && open == count && count >= 10_000 ? "PASS" : "MISS")}  websocket memory: {BrokerMemory.Format(with)} < 1 GiB with {open} sockets open (goal: 10,000)");
        var pushOk = latencies.Length == open && open > 0 && max <= 2000;
        Console.WriteLine(string.Create(inv, $"  {(pushOk ? "PASS" : "MISS")}  websocket push: {latencies.Length} of {open} received, the last {max:F0} ms after the response (goal: all within 2,000 ms)"));
        if (firstError is not null)
        {
            Console.WriteLine($"first connect error: {firstError}");
        }

        return 0;
    }

    /// <summary>One agent's socket: connects like the agent, then only listens for the armed change's frame.</summary>
    private sealed class Socket(SeededAgent agent, string stackId)
    {
        private volatile bool _armed;
        private long _pushedAt;
        private Task? _receiving;

        public ClientWebSocket Client { get; } = new();

        public bool IsOpen => Client.State == WebSocketState.Open && Closed is null;

        public long PushedAt => Interlocked.Read(ref _pushedAt);

        public string? Closed { get; private set; }

        public async Task ConnectAsync(Uri url)
        {
            Client.Options.SetRequestHeader("Authorization", $"Bearer {agent.Pak}");
            Client.Options.CollectHttpResponseDetails = true;
            Client.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await Client.ConnectAsync(url, timeout.Token);
            _receiving = ReceiveAsync();
        }

        public void Arm() => _armed = true;

        private async Task ReceiveAsync()
        {
            var buffer = new byte[4096];
            var message = new StringBuilder();
            try
            {
                while (Client.State == WebSocketState.Open)
                {
                    var result = await Client.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        Closed ??= $"{result.CloseStatus} {result.CloseStatusDescription}";
                        return;
                    }

                    message.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                    if (!result.EndOfMessage)
                    {
                        continue;
                    }

                    var text = message.ToString();
                    message.Clear();
                    if (_armed && text.Contains("\"stack_changed\"", StringComparison.Ordinal) && text.Contains(stackId, StringComparison.Ordinal))
                    {
                        Interlocked.CompareExchange(ref _pushedAt, Stopwatch.GetTimestamp(), 0);
                    }
                }
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
            {
                Closed ??= ex.Message;
            }
        }

        public async Task CloseAsync()
        {
            try
            {
                if (Client.State == WebSocketState.Open)
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bench done", timeout.Token);
                    if (_receiving is not null)
                    {
                        await _receiving.WaitAsync(timeout.Token);
                    }
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException)
            {
                // Aborted below.
            }

            Client.Dispose();
        }
    }
}

/// <summary>The broker's resident memory: /proc of the broker eng/bench started, else its /metrics.</summary>
internal sealed class BrokerMemory(HttpClient http, Options options)
{
    private readonly int? _pid = options.Int("broker-pid", 0) is > 0 and var pid ? pid : null;

    public string Source => _pid is { } pid ? $"VmRSS of pid {pid}" : "process_resident_memory_bytes";

    public async Task<long?> ReadAsync()
    {
        if (_pid is { } pid)
        {
            foreach (var line in await File.ReadAllLinesAsync($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }

            return null;
        }

        try
        {
            var text = await http.GetStringAsync("metrics");
            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith("process_resident_memory_bytes ", StringComparison.Ordinal))
                {
                    return (long)double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (HttpRequestException)
        {
            // No metrics: reported as unknown.
        }

        return null;
    }

    public static string Format(long? bytes) => bytes is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b / 1024.0 / 1024.0:F0} MiB") : "unknown";
}
