using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Brokkr.Bench;

var options = Options.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(Options.Usage);
    return 2;
}

using var http = Load.CreateClient(options);
var seed = await Seeder.SeedAsync(http, options);
var results = await Scenarios.RunAllAsync(http, options, seed);
Report.Print(options, seed, results);
return 0;

namespace Brokkr.Bench
{
    internal sealed record Options(Uri Url, string AdminPak, int Agents, int Stacks, int ObjectsPerStack, int Concurrency, TimeSpan Duration, string? Only)
    {
        public const string Usage = """
            usage: Brokkr.Bench --url URL --admin-pak PAK [--agents N] [--stacks N] [--objects N] [--concurrency N]
                                [--duration SECONDS] [--only healthz,target-state,not-modified,heartbeat,events]
            """;

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
                values.GetValueOrDefault("only"));
        }
    }

    internal sealed record SeededAgent(Guid Id, string Pak, Guid DeploymentObjectId);

    internal sealed record Seed(IReadOnlyList<SeededAgent> Agents, int Stacks, int Objects, TimeSpan Took);

    internal static class Load
    {
        public static HttpClient CreateClient(Options options)
        {
            var handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = options.Concurrency,
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                AutomaticDecompression = DecompressionMethods.None,
                UseCookies = false,
                UseProxy = false,
            };
            return new HttpClient(handler) { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(60) };
        }

        public static HttpRequestMessage Request(HttpMethod method, string path, string? pak, string? json = null)
        {
            var request = new HttpRequestMessage(method, path);
            if (pak is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", pak);
            }

            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            return request;
        }

        public static async Task<JsonNode?> SendJsonAsync(HttpClient http, HttpMethod method, string path, string pak, object? body)
        {
            using var request = Request(method, path, pak, body is null ? null : JsonSerializer.Serialize(body));
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
            }

            return text.Length == 0 ? null : JsonNode.Parse(text);
        }

        public static async Task<JsonNode?> SendRawAsync(HttpClient http, string path, string pak, string contentType, string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", pak);
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
            }

            return JsonNode.Parse(text);
        }

        /// <summary>Runs <paramref name="work"/> over the items with at most <paramref name="parallelism"/> in flight.</summary>
        public static Task ForEachAsync<T>(IEnumerable<T> items, int parallelism, Func<T, Task> work)
            => Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (item, _) => await work(item));
    }

    internal static class Seeder
    {
        public static async Task<Seed> SeedAsync(HttpClient http, Options options)
        {
            var clock = Stopwatch.StartNew();
            var admin = options.AdminPak;
            var suffix = Guid.NewGuid().ToString("N")[..8];
            var generator = await Load.SendJsonAsync(http, HttpMethod.Post, "api/v1/generators", admin,
                new Dictionary<string, object?> { ["name"] = $"bench-{suffix}", ["description"] = "eng/bench" });
            var generatorId = generator!["generator"]!["id"]!.GetValue<Guid>();

            // Each stack carries one label; agent i carries the label of stack i % stacks, so every stack reaches
            // agents/stacks agents and every agent's target state holds objects-per-stack objects.
            var stacks = new Guid[options.Stacks];
            var firstObject = new Guid[options.Stacks];
            var objects = 0;
            await Load.ForEachAsync(Enumerable.Range(0, options.Stacks), 8, async s =>
            {
                var stack = await Load.SendJsonAsync(http, HttpMethod.Post, "api/v1/stacks", admin,
                    new Dictionary<string, object?> { ["name"] = $"bench-{suffix}-{s}", ["generator_id"] = generatorId, ["description"] = "bench stack" });
                var stackId = stack!["id"]!.GetValue<Guid>();
                stacks[s] = stackId;
                await Load.SendJsonAsync(http, HttpMethod.Post, $"api/v1/stacks/{stackId}/labels", admin, $"bench-{suffix}-{s}");
                for (var o = 0; o < options.ObjectsPerStack; o++)
                {
                    var created = await Load.SendJsonAsync(http, HttpMethod.Post, $"api/v1/stacks/{stackId}/deployment-objects", admin,
                        new Dictionary<string, object?> { ["yaml_content"] = Manifests.App($"app-{s}-{o}", o), ["is_deletion_marker"] = false });
                    if (o == 0)
                    {
                        firstObject[s] = created!["id"]!.GetValue<Guid>();
                    }

                    Interlocked.Increment(ref objects);
                }
            });

            var agents = new SeededAgent[options.Agents];
            var done = 0;
            await Load.ForEachAsync(Enumerable.Range(0, options.Agents), Math.Min(options.Concurrency, 32), async i =>
            {
                var created = await Load.SendJsonAsync(http, HttpMethod.Post, "api/v1/agents", admin,
                    new Dictionary<string, object?> { ["name"] = $"bench-{suffix}-{i}", ["cluster_name"] = $"cluster-{i}", ["generator_ids"] = new[] { generatorId } });
                var id = created!["agent"]!["id"]!.GetValue<Guid>();
                var pak = created["initial_pak"]!.GetValue<string>();
                var s = i % options.Stacks;
                await Load.SendJsonAsync(http, HttpMethod.Post, $"api/v1/agents/{id}/labels", admin,
                    new Dictionary<string, object?> { ["agent_id"] = id, ["label"] = $"bench-{suffix}-{s}" });
                await Load.SendJsonAsync(http, HttpMethod.Put, $"api/v1/agents/{id}", admin,
                    new Dictionary<string, object?> { ["status"] = "ACTIVE" });
                agents[i] = new SeededAgent(id, pak, firstObject[s]);
                var n = Interlocked.Increment(ref done);
                if (n % 500 == 0)
                {
                    Console.Error.WriteLine($"bench: seeded {n}/{options.Agents} agents ({clock.Elapsed.TotalSeconds:F0} s)");
                }
            });

            return new Seed(agents, options.Stacks, objects, clock.Elapsed);
        }
    }

    internal static class Manifests
    {
        /// <summary>A Deployment, a Service and a ConfigMap: a few KB, like a small real application.</summary>
        public static string App(string name, int variant)
        {
            var config = new StringBuilder();
            for (var k = 0; k < 40; k++)
            {
                config.Append(CultureInfo.InvariantCulture, $"  SETTING_{k}: \"value-{variant}-{k}-{new string('x', 24)}\"\n");
            }

            return $$"""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: {{name}}
                  namespace: bench
                  labels:
                    app.kubernetes.io/name: {{name}}
                    app.kubernetes.io/part-of: brokkr-bench
                spec:
                  replicas: 3
                  selector:
                    matchLabels:
                      app.kubernetes.io/name: {{name}}
                  template:
                    metadata:
                      labels:
                        app.kubernetes.io/name: {{name}}
                    spec:
                      containers:
                        - name: app
                          image: registry.example.com/bench/{{name}}:1.{{variant}}.0
                          ports:
                            - containerPort: 8080
                              name: http
                          envFrom:
                            - configMapRef:
                                name: {{name}}-config
                          resources:
                            requests:
                              cpu: 100m
                              memory: 128Mi
                            limits:
                              cpu: 500m
                              memory: 256Mi
                          readinessProbe:
                            httpGet:
                              path: /ready
                              port: http
                          livenessProbe:
                            httpGet:
                              path: /live
                              port: http
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: {{name}}
                  namespace: bench
                spec:
                  selector:
                    app.kubernetes.io/name: {{name}}
                  ports:
                    - name: http
                      port: 80
                      targetPort: http
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{name}}-config
                  namespace: bench
                data:

                """ + config;
        }
    }

    internal sealed record Result(string Name, long Requests, long Units, long Errors, TimeSpan Elapsed, double P50, double P95, double P99, string? FirstError)
    {
        public double PerSecond => Requests / Elapsed.TotalSeconds;

        public double UnitsPerSecond => Units / Elapsed.TotalSeconds;
    }

    internal static class Scenarios
    {
        public static async Task<IReadOnlyList<Result>> RunAllAsync(HttpClient http, Options options, Seed seed)
        {
            var agents = seed.Agents;
            var etags = new string[agents.Count];
            var results = new List<Result>();

            bool Wanted(string name) => options.Only is null || options.Only.Split(',').Contains(name) || name == "healthz";

            // Warm-up: every connection opened, every PAK seen once (the cache is part of the steady state), every ETag known.
            await Load.ForEachAsync(Enumerable.Range(0, agents.Count), options.Concurrency, async i =>
            {
                using var request = Load.Request(HttpMethod.Get, $"api/v1/agents/{agents[i].Id}/target-state?mode=full", agents[i].Pak);
                using var response = await http.SendAsync(request);
                response.EnsureSuccessStatusCode();
                etags[i] = response.Headers.ETag?.Tag ?? throw new InvalidOperationException("target-state answered without an ETag");
            });

            var eventBody = new string[agents.Count];
            for (var i = 0; i < agents.Count; i++)
            {
                var one = JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["agent_id"] = agents[i].Id,
                    ["deployment_object_id"] = agents[i].DeploymentObjectId,
                    ["event_type"] = "apply",
                    ["status"] = "SUCCESS",
                    ["message"] = "applied by eng/bench",
                });
                eventBody[i] = one;
            }

            if (Wanted("healthz"))
            {
                results.Add(await RunAsync(http, options, "healthz", agents.Count, _ => Load.Request(HttpMethod.Get, "healthz", null), HttpStatusCode.OK, 1));
            }

            if (Wanted("target-state"))
            {
                results.Add(await RunAsync(http, options, "target-state", agents.Count,
                    i => Load.Request(HttpMethod.Get, $"api/v1/agents/{agents[i].Id}/target-state?mode=full", agents[i].Pak), HttpStatusCode.OK, 1));
            }

            if (Wanted("not-modified"))
            {
                results.Add(await RunAsync(http, options, "not-modified", agents.Count, i =>
                {
                    var request = Load.Request(HttpMethod.Get, $"api/v1/agents/{agents[i].Id}/target-state?mode=full", agents[i].Pak);
                    request.Headers.TryAddWithoutValidation("If-None-Match", etags[i]);
                    return request;
                }, HttpStatusCode.NotModified, 1));
            }

            if (Wanted("heartbeat"))
            {
                results.Add(await RunAsync(http, options, "heartbeat", agents.Count,
                    i => Load.Request(HttpMethod.Post, $"api/v1/agents/{agents[i].Id}/heartbeat", agents[i].Pak), HttpStatusCode.NoContent, 1, acceptAny2xx: true));
            }

            if (Wanted("events"))
            {
                results.Add(await RunAsync(http, options, "events", agents.Count,
                    i => Load.Request(HttpMethod.Post, $"api/v1/agents/{agents[i].Id}/events", agents[i].Pak, eventBody[i]), HttpStatusCode.Created, 1, acceptAny2xx: true));
            }

            return results;
        }

        private static async Task<Result> RunAsync(HttpClient http, Options options, string name, int agents, Func<int, HttpRequestMessage> make,
            HttpStatusCode expected, int unitsPerRequest, bool acceptAny2xx = false)
        {
            Console.Error.WriteLine($"bench: {name} for {options.Duration.TotalSeconds:F0} s at concurrency {options.Concurrency}");
            var latencies = new List<double>[options.Concurrency];
            long requests = 0, errors = 0;
            string? firstError = null;
            var next = -1;
            var clock = Stopwatch.StartNew();
            var deadline = options.Duration;
            var workers = Enumerable.Range(0, options.Concurrency).Select(w => Task.Run(async () =>
            {
                var mine = latencies[w] = new List<double>(1 << 16);
                while (clock.Elapsed < deadline)
                {
                    // Round-robin over distinct agents: consecutive requests come from different agents.
                    var i = (int)((uint)Interlocked.Increment(ref next) % (uint)agents);
                    using var request = make(i);
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                        var ok = response.StatusCode == expected || (acceptAny2xx && response.IsSuccessStatusCode);
                        if (!ok)
                        {
                            Interlocked.Increment(ref errors);
                            var body = await response.Content.ReadAsStringAsync();
                            Interlocked.CompareExchange(ref firstError, $"{(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}", null);
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        Interlocked.Increment(ref errors);
                        Interlocked.CompareExchange(ref firstError, ex.Message, null);
                    }

                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    Interlocked.Increment(ref requests);
                }
            })).ToArray();
            await Task.WhenAll(workers);
            var elapsed = clock.Elapsed;
            var all = latencies.SelectMany(l => l).ToArray();
            Array.Sort(all);
            double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)Math.Ceiling(p * all.Length) - 1)];
            return new Result(name, requests, (requests - errors) * unitsPerRequest, errors, elapsed, Percentile(0.50), Percentile(0.95), Percentile(0.99), firstError);
        }
    }

    internal static class Report
    {
        public static void Print(Options options, Seed seed, IReadOnlyList<Result> results)
        {
            var healthz = results.First(r => r.Name == "healthz");
            Console.WriteLine($"# eng/bench: {options.Url} | {seed.Agents.Count} agents, {seed.Stacks} stacks, {seed.Objects} deployment objects " +
                $"(seeded in {seed.Took.TotalSeconds:F1} s) | concurrency {options.Concurrency}, {options.Duration.TotalSeconds:F0} s per scenario | " +
                $"client: {Environment.ProcessorCount} cpus, .NET {Environment.Version}");
            Console.WriteLine();
            Console.WriteLine("| scenario | requests | req/s | ratio to /healthz | p50 ms | p95 ms | p99 ms | errors |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in results)
            {
                var rate = r.Name == "events" ? $"{r.PerSecond:F0} ({r.UnitsPerSecond:F0} events/s)" : $"{r.PerSecond:F0}";
                Console.WriteLine(FormattableString.Invariant(
                    $"| {r.Name} | {r.Requests} | {rate} | {r.PerSecond / healthz.PerSecond:F3} | {r.P50:F2} | {r.P95:F2} | {r.P99:F2} | {r.Errors} |"));
            }

            Console.WriteLine();
            Console.WriteLine("Goals of issue 6:");
            Goal(results, "target-state", r => r.PerSecond / healthz.PerSecond >= 0.20 && r.P99 <= 25 && r.Errors == 0,
                r => FormattableString.Invariant($"ratio {r.PerSecond / healthz.PerSecond:F3} >= 0.20, p99 {r.P99:F1} ms <= 25 ms, errors {r.Errors} = 0"));
            Goal(results, "not-modified", r => r.PerSecond / healthz.PerSecond >= 0.50 && r.Errors == 0,
                r => FormattableString.Invariant($"ratio {r.PerSecond / healthz.PerSecond:F3} >= 0.50, errors {r.Errors} = 0"));
            Goal(results, "heartbeat", r => r.PerSecond / healthz.PerSecond >= 0.20 && r.Errors == 0,
                r => FormattableString.Invariant($"ratio {r.PerSecond / healthz.PerSecond:F3} >= 0.20, errors {r.Errors} = 0"));
            Goal(results, "events", r => r.UnitsPerSecond >= 20_000 && r.Errors == 0,
                r => FormattableString.Invariant($"{r.UnitsPerSecond:F0} events/s >= 20,000, errors {r.Errors} = 0"));
            foreach (var r in results.Where(r => r.FirstError is not null))
            {
                Console.WriteLine($"first error in {r.Name}: {r.FirstError}");
            }
        }

        private static void Goal(IReadOnlyList<Result> results, string name, Func<Result, bool> met, Func<Result, string> describe)
        {
            if (results.FirstOrDefault(r => r.Name == name) is { } r)
            {
                Console.WriteLine($"  {(met(r) ? "PASS" : "MISS")}  {name}: {describe(r)}");
            }
        }
    }
}
