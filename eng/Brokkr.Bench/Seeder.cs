using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Brokkr.Bench;

internal sealed record SeededAgent(Guid Id, string Pak, Guid DeploymentObjectId);

internal sealed record Seed(IReadOnlyList<SeededAgent> Agents, int Stacks, int Objects, TimeSpan Took)
{
    /// <summary>The generator every seeded agent is registered with.</summary>
    public Guid GeneratorId { get; init; }
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

        return new Seed(agents, options.Stacks, objects, clock.Elapsed) { GeneratorId = generatorId };
    }

    /// <summary>
    /// <c>--subscribe</c>: one enabled subscription to <c>deployment.*</c>, so that every stored SUCCESS/FAILURE
    /// event writes its outbox row. Port 9 on loopback refuses at once: the delivery job's attempts fail fast
    /// and the rows stay pending or retrying without a receiver to measure.
    /// </summary>
    public static async Task SubscribeAsync(HttpClient http, Options options)
    {
        await Load.SendJsonAsync(http, HttpMethod.Post, "api/v1/webhooks", options.AdminPak, new Dictionary<string, object?>
        {
            ["name"] = $"bench-{Guid.NewGuid().ToString("N")[..8]}",
            ["url"] = "http://127.0.0.1:9/bench",
            ["event_types"] = new[] { "deployment.*" },
            ["max_retries"] = 10,
            ["timeout_seconds"] = 1,
        });
        Console.Error.WriteLine("bench: subscribed to deployment.* (http://127.0.0.1:9, refused)");
    }
}
