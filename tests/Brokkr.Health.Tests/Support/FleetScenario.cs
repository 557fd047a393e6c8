namespace Brokkr.Health.Tests.Support;

public static class FleetScenario
{
    public static readonly string[] RecordKeys =
    [
        "agent_id", "name", "cluster_name", "status", "ws_connected", "connected_since", "last_heartbeat", "heartbeat_age_seconds",
        "pending_object_count", "pending_work_orders", "claimed_work_orders", "last_event_at", "seconds_since_last_event",
        "health_failing", "health_degraded", "k8s_reachable", "k8s_api_latency_ms",
    ];

    public static readonly string[] AgentEventKeys =
        ["id", "created_at", "updated_at", "deleted_at", "agent_id", "deployment_object_id", "event_type", "status", "message"];

    public static async Task<JsonNode> FleetStatusAsync(this BrokkrApiFactory api, Guid agentId)
        => await (await api.Admin().GetAsync($"/api/v1/agents/{agentId}/fleet-status")).JsonAsync(HttpStatusCode.OK);

    public static async Task<JsonNode> RecordAsync(this BrokkrApiFactory api, Guid agentId)
        => (await api.FleetStatusAsync(agentId))["record"]!;

    public static async Task<Dictionary<Guid, JsonNode>> FleetAsync(this BrokkrApiFactory api, string query = "")
        => (await (await api.Admin().GetAsync($"/api/v1/fleet{query}")).ArrayAsync()).ToDictionary(r => r!.Id("agent_id"), r => r!);

    public static long Long(this JsonNode node, string key) => node[key]!.GetValue<long>();

    public static async Task<int> TargetStateCountAsync(this BrokkrApiFactory api, Guid agentId)
        => (await (await api.Admin().GetAsync($"/api/v1/agents/{agentId}/target-state")).ArrayAsync()).Count;

    /// <summary>An agent's acknowledgement of a revision (the events endpoint belongs to the Agents module).</summary>
    public static Task AcknowledgeAsync(this BrokkrApiFactory api, Guid agentId, Guid objectId, DateTime? at = null)
        => api.ExecuteAsync(
            "INSERT INTO agent_events (agent_id, deployment_object_id, event_type, status, created_at) VALUES (@agent, @object, 'DEPLOY', 'SUCCESS', coalesce(@at, now()))",
            ("agent", agentId), ("object", objectId), ("at", at));

    /// <summary>A work order row as the WorkOrders module stores it, with its targeting.</summary>
    public static async Task<Guid> WorkOrderAsync(
        this BrokkrApiFactory api, string status = "PENDING", Guid? claimedBy = null, Guid[]? agents = null, string[]? labels = null, (string Key, string Value)[]? annotations = null)
    {
        var id = Guid.CreateVersion7();
        await api.ExecuteAsync(
            """
            INSERT INTO work_orders (id, work_type, yaml_content, status, claimed_by, claimed_at, next_retry_after)
            VALUES (@id, 'custom', 'kind: Job', @status, @claimed_by, CASE WHEN @claimed_by::uuid IS NULL THEN NULL ELSE now() END,
                    CASE WHEN @status = 'RETRY_PENDING' THEN now() + interval '1 hour' END)
            """,
            ("id", id), ("status", status), ("claimed_by", claimedBy));
        foreach (var agent in agents ?? [])
        {
            await api.ExecuteAsync("INSERT INTO work_order_targets (work_order_id, agent_id) VALUES (@id, @agent)", ("id", id), ("agent", agent));
        }

        foreach (var label in labels ?? [])
        {
            await api.ExecuteAsync("INSERT INTO work_order_labels (work_order_id, label) VALUES (@id, @label)", ("id", id), ("label", label));
        }

        foreach (var (key, value) in annotations ?? [])
        {
            await api.ExecuteAsync("INSERT INTO work_order_annotations (work_order_id, key, value) VALUES (@id, @key, @value)", ("id", id), ("key", key), ("value", value));
        }

        return id;
    }
}
