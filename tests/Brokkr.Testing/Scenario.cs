using System.Net;
using System.Text.Json.Nodes;

namespace Brokkr.Testing;

/// <summary>
/// Builds the world a test needs through the public API, as a client would: generators, agents,
/// stacks, labels, targets, deployment objects. Names are unique per call.
/// </summary>
public sealed class Scenario(BrokkrApiFactory api)
{
    public HttpClient Admin { get; } = api.Admin();

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public async Task<(Guid Id, string Pak)> GeneratorAsync(string? name = null)
    {
        var body = await (await Admin.PostJsonAsync("/api/v1/generators", new { name = name ?? Unique("gen") })).JsonAsync(HttpStatusCode.Created);
        return (body["generator"]!.Id(), body.Str("pak"));
    }

    public async Task<(Guid Id, string Pak)> AgentAsync(string? name = null, string cluster = "cluster-a", params Guid[] generatorIds)
    {
        var body = await (await Admin.PostJsonAsync("/api/v1/agents", new { name = name ?? Unique("agent"), cluster_name = cluster, generator_ids = generatorIds }))
            .JsonAsync(HttpStatusCode.Created);
        return (body["agent"]!.Id(), body.Str("initial_pak"));
    }

    public async Task<Guid> StackAsync(Guid generatorId, string? name = null)
    {
        var body = await (await Admin.PostJsonAsync("/api/v1/stacks", new { name = name ?? Unique("stack"), description = (string?)null, generator_id = generatorId }))
            .JsonAsync(HttpStatusCode.Created);
        return body.Id();
    }

    public async Task<JsonNode> DeploymentObjectAsync(Guid stackId, string yaml, bool deletionMarker = false)
        => await (await Admin.PostJsonAsync($"/api/v1/stacks/{stackId}/deployment-objects", new { yaml_content = yaml, is_deletion_marker = deletionMarker }))
            .JsonAsync(HttpStatusCode.Created);

    public async Task RegisterAsync(Guid agentId, Guid generatorId)
        => await (await Admin.PostJsonAsync($"/api/v1/generators/{generatorId}/register", new { agent_id = agentId })).JsonAsync(HttpStatusCode.Created);

    public async Task TargetAsync(Guid agentId, Guid stackId)
        => await (await Admin.PostJsonAsync($"/api/v1/agents/{agentId}/targets", new { agent_id = agentId, stack_id = stackId })).JsonAsync(HttpStatusCode.Created);

    public async Task AgentLabelAsync(Guid agentId, string label)
        => await (await Admin.PostJsonAsync($"/api/v1/agents/{agentId}/labels", new { agent_id = agentId, label })).JsonAsync(HttpStatusCode.Created);

    public async Task StackLabelAsync(Guid stackId, string label)
        => await (await Admin.PostJsonAsync($"/api/v1/stacks/{stackId}/labels", System.Text.Json.JsonSerializer.Serialize(label))).JsonAsync(HttpStatusCode.Created);

    public async Task AgentAnnotationAsync(Guid agentId, string key, string value)
        => await (await Admin.PostJsonAsync($"/api/v1/agents/{agentId}/annotations", new { agent_id = agentId, key, value })).JsonAsync(HttpStatusCode.Created);

    public async Task StackAnnotationAsync(Guid stackId, string key, string value)
        => await (await Admin.PostJsonAsync($"/api/v1/stacks/{stackId}/annotations", new { stack_id = stackId, key, value })).JsonAsync(HttpStatusCode.Created);
}
