using System.Text.Json;
using Brokkr.Contracts.Telemetry;

namespace Brokkr.Telemetry.Tests.Support;

/// <summary>A generator's stack, another generator, and an agent forwarding telemetry for the stack.</summary>
public sealed record TelemetryWorld(Guid Owner, string OwnerPak, string OtherGeneratorPak, Guid Agent, string AgentPak, Guid Stack);

public static class TelemetryScenario
{
    public static readonly string[] RetentionKeys = ["retention_ceiling_seconds", "effective_retention_seconds", "oldest_available_ts", "long_term_sink_hint"];

    public static readonly string[] EventKeys =
        ["id", "agent_id", "stack_id", "observed_at", "reason", "message", "event_type", "source", "involved_object", "created_at"];

    public static readonly string[] LogKeys = ["id", "agent_id", "stack_id", "namespace", "pod", "container", "ts", "line", "created_at"];

    public static async Task<TelemetryWorld> WorldAsync(this BrokkrApiFactory api)
    {
        var given = new Scenario(api);
        var owner = await given.GeneratorAsync();
        var other = await given.GeneratorAsync();
        var agent = await given.AgentAsync(generatorIds: owner.Id);
        var stack = await given.StackAsync(owner.Id);
        return new TelemetryWorld(owner.Id, owner.Pak, other.Pak, agent.Id, agent.Pak, stack);
    }

    public static K8sEventReport Event(TelemetryWorld world, string reason, Guid? stack = null, Guid? agent = null, string involved = """{"api_version":"v1","kind":"Pod","namespace":"default","name":"web-0","uid":"u-1"}""")
        => new(agent ?? world.Agent, stack ?? world.Stack, new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc), reason, $"message of {reason}", "Warning",
            JsonDocument.Parse(involved).RootElement.Clone(), "kubelet");

    public static PodLogLineReport Line(TelemetryWorld world, string line, Guid? stack = null, Guid? agent = null)
        => new(agent ?? world.Agent, stack ?? world.Stack, "default", "web-0", "app", new DateTime(2025, 1, 2, 3, 4, 5, 120, DateTimeKind.Utc), line);

    public static Task<int> AppendEventsAsync(this BrokkrApiFactory api, params K8sEventReport[] events) => api.SendAsync(new AppendK8sEvents(events));

    public static Task<int> AppendLinesAsync(this BrokkrApiFactory api, params PodLogLineReport[] lines) => api.SendAsync(new AppendPodLogLines(lines));

    public static async Task<JsonNode> EventsAsync(this BrokkrApiFactory api, Guid stack, string query = "")
        => await (await api.Admin().GetAsync($"/api/v1/stacks/{stack}/events{query}")).JsonAsync(HttpStatusCode.OK);

    public static async Task<JsonNode> LogsAsync(this BrokkrApiFactory api, Guid stack, string query = "")
        => await (await api.Admin().GetAsync($"/api/v1/stacks/{stack}/logs{query}")).JsonAsync(HttpStatusCode.OK);

    public static string Rfc3339(DateTime value) => Brokkr.Shared.Json.UtcTimestampConverter.Format(value);
}
