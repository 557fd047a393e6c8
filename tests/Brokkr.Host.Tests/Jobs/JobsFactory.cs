using System.Net;
using System.Text.Json.Nodes;
using Brokkr.Testing;

namespace Brokkr.Host.Tests.Jobs;

/// <summary>The broker with its scheduler running (clustered store in the test database).</summary>
public sealed class JobsFactory : BrokkrApiFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Jobs:enabled"] = "true" };
}

internal static class JobsWire
{
    public static readonly string[] JobKeys =
    [
        "key", "description", "interval_seconds", "schedule", "state", "running", "previous_fire_time", "next_fire_time",
        "last_run_at", "last_outcome", "last_message", "last_duration_ms", "last_instance", "last_run_manual",
    ];

    public static async Task<JsonNode> JobAsync(HttpClient admin, string key)
    {
        var list = await (await admin.GetAsync("/api/v1/admin/jobs")).JsonAsync(HttpStatusCode.OK);
        return list.AsArray().Single(j => j!["key"]!.GetValue<string>() == key)!;
    }

    /// <summary>Polls the job until <paramref name="done"/> holds, for at most <paramref name="seconds"/>.</summary>
    public static async Task<JsonNode> WaitForAsync(HttpClient admin, string key, Func<JsonNode, bool> done, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var job = await JobAsync(admin, key);
            if (done(job))
            {
                return job;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Job {key} did not reach the expected state in {seconds} s: {job.ToJsonString()}");
            }

            await Task.Delay(200);
        }
    }
}
