using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Brokkr.Bench;

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

        if (Wanted("events-batch"))
        {
            // ADR 0031: POST /agents/{id}/events/batch with EventsPerBatch events per request.
            var batchBody = eventBody.Select(one => "[" + string.Join(',', Enumerable.Repeat(one, EventsPerBatch)) + "]").ToArray();
            results.Add(await RunAsync(http, options, "events-batch", agents.Count,
                i => Load.Request(HttpMethod.Post, $"api/v1/agents/{agents[i].Id}/events/batch", agents[i].Pak, batchBody[i]), HttpStatusCode.Created, EventsPerBatch));
        }

        if (results.Count > 1)
        {
            results.Add(await RunAsync(http, options, "healthz-again", agents.Count, _ => Load.Request(HttpMethod.Get, "healthz", null), HttpStatusCode.OK, 1));
        }

        return results;
    }

    public const int EventsPerBatch = 100;

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
