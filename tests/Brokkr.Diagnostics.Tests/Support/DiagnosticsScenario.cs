namespace Brokkr.Diagnostics.Tests.Support;

/// <summary>A generator's stack with a revision, the agent asked for diagnostics, and bystanders.</summary>
public sealed record DiagnosticsWorld(
    Guid Generator,
    string GeneratorPak,
    Guid Agent,
    string AgentPak,
    Guid OtherAgent,
    string OtherAgentPak,
    Guid Stack,
    Guid DeploymentObject);

public static class DiagnosticsScenario
{
    public static readonly string[] RequestKeys =
        ["id", "agent_id", "deployment_object_id", "status", "requested_by", "created_at", "claimed_at", "completed_at", "expires_at"];

    public static readonly string[] ResultKeys = ["id", "request_id", "pod_statuses", "events", "log_tails", "collected_at", "created_at"];

    public static async Task<DiagnosticsWorld> WorldAsync(this BrokkrApiFactory api)
    {
        var given = new Scenario(api);
        var generator = await given.GeneratorAsync();
        var agent = await given.AgentAsync(generatorIds: generator.Id);
        var other = await given.AgentAsync(generatorIds: generator.Id);
        var stack = await given.StackAsync(generator.Id);
        await given.TargetAsync(agent.Id, stack);
        var revision = await given.DeploymentObjectAsync(stack, Wire.Yaml);
        return new DiagnosticsWorld(generator.Id, generator.Pak, agent.Id, agent.Pak, other.Id, other.Pak, stack, revision.Id());
    }

    /// <summary>A pending request for the world's agent, created by admin.</summary>
    public static async Task<JsonNode> RequestAsync(this BrokkrApiFactory api, DiagnosticsWorld world, object? body = null)
        => await (await api.Admin().PostJsonAsync($"/api/v1/deployment-objects/{world.DeploymentObject}/diagnostics", body ?? new { agent_id = world.Agent }))
            .JsonAsync(HttpStatusCode.Created);

    public static async Task<JsonNode> ClaimAsync(this BrokkrApiFactory api, DiagnosticsWorld world, Guid requestId)
        => await (await api.WithPak(world.AgentPak).PostAsync($"/api/v1/diagnostics/{requestId}/claim", null)).JsonAsync(HttpStatusCode.OK);

    public static object Result(string podStatuses = "[]", string events = "[]", string? logTails = null)
        => new { pod_statuses = podStatuses, events, log_tails = logTails, collected_at = "2025-01-02T03:04:05Z" };
}
