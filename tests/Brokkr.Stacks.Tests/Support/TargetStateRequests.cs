namespace Brokkr.Stacks.Tests.Support;

/// <summary>What the target-state tests share: a one-ConfigMap revision and the agent's two reads, as admin.</summary>
public static class TargetStateRequests
{
    public static string Revision(string name) => $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n";

    /// <summary><c>GET /agents/{id}/target-state</c> with an optional query string.</summary>
    public static async Task<JsonArray> TargetStateAsync(this BrokkrApiFactory api, Guid agent, string query = "")
        => await (await api.Admin().GetAsync($"/api/v1/agents/{agent}/target-state{query}")).ArrayAsync();

    /// <summary>The stack ids of <c>GET /agents/{id}/stacks</c>.</summary>
    public static async Task<IReadOnlyList<Guid>> AgentStackIdsAsync(this BrokkrApiFactory api, Guid agent)
        => (await (await api.Admin().GetAsync($"/api/v1/agents/{agent}/stacks")).ArrayAsync()).Ids();
}
