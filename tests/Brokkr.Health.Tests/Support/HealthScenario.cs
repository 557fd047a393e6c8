namespace Brokkr.Health.Tests.Support;

/// <summary>A generator's stack with two revisions and three agents registered with the generator.</summary>
public sealed record HealthWorld(
    Guid Generator,
    string GeneratorPak,
    (Guid Id, string Pak)[] Agents,
    Guid Stack,
    Guid OldRevision,
    Guid Revision);

public static class HealthScenario
{
    public static readonly string[] HealthKeys =
        ["id", "agent_id", "deployment_object_id", "status", "summary", "checked_at", "created_at", "updated_at"];

    public static async Task<HealthWorld> WorldAsync(this BrokkrApiFactory api)
    {
        var given = new Scenario(api);
        var generator = await given.GeneratorAsync();
        var agents = new (Guid, string)[3];
        for (var i = 0; i < agents.Length; i++)
        {
            agents[i] = await given.AgentAsync(generatorIds: generator.Id);
        }

        var stack = await given.StackAsync(generator.Id);
        var old = await given.DeploymentObjectAsync(stack, Wire.Yaml);
        var current = await given.DeploymentObjectAsync(stack, Wire.Yaml.Replace("demo", "demo-2", StringComparison.Ordinal));
        return new HealthWorld(generator.Id, generator.Pak, agents, stack, old.Id(), current.Id());
    }

    public static string HealthUrl(Guid agent) => $"/api/v1/agents/{agent}/health-status";

    public static object Report(Guid objectId, string status, object? summary = null, string checkedAt = "2025-01-02T03:04:05Z")
        => new { id = objectId, status, summary, checked_at = checkedAt };

    public static Task<HttpResponseMessage> ReportAsync(this HttpClient client, Guid agent, params object[] reports)
        => client.PatchJsonAsync(HealthUrl(agent), new { deployment_objects = reports });

    public static async Task<JsonNode> ObjectHealthAsync(this BrokkrApiFactory api, Guid objectId)
        => await (await api.Admin().GetAsync($"/api/v1/deployment-objects/{objectId}/health")).JsonAsync(HttpStatusCode.OK);

    public static async Task<JsonNode> StackHealthAsync(this BrokkrApiFactory api, Guid stackId)
        => await (await api.Admin().GetAsync($"/api/v1/stacks/{stackId}/health")).JsonAsync(HttpStatusCode.OK);
}
