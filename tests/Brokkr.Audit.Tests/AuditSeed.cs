namespace Brokkr.Audit.Tests;

/// <summary>Audit rows written straight into the test database, with the timestamps and actors a test needs.</summary>
internal static class AuditSeed
{
    public static readonly DateTime Base = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    public static async Task<Guid> InsertAsync(
        this BrokkrApiFactory api,
        string resourceType,
        string action = "agent.created",
        DateTime? at = null,
        string actorType = "admin",
        Guid? actorId = null,
        Guid? resourceId = null,
        string? details = null,
        string? ip = null,
        string? userAgent = null,
        Guid? id = null)
    {
        var rowId = id ?? Guid.NewGuid();
        await api.ExecuteAsync(
            """
            INSERT INTO audit_logs (id, "timestamp", actor_type, actor_id, action, resource_type, resource_id, details, ip_address, user_agent, created_at)
            VALUES (@id, @at, @actor_type, @actor_id, @action, @resource_type, @resource_id, CAST(@details AS jsonb), @ip, @ua, @at)
            """,
            ("id", rowId), ("at", at ?? Base), ("actor_type", actorType), ("actor_id", actorId), ("action", action),
            ("resource_type", resourceType), ("resource_id", resourceId), ("details", details), ("ip", ip), ("ua", userAgent));
        return rowId;
    }

    public static async Task<JsonNode> AuditLogsAsync(this HttpClient client, string query)
        => await (await client.GetAsync("/api/v1/admin/audit-logs?" + query)).JsonAsync(HttpStatusCode.OK);

    public static IReadOnlyList<Guid> LogIds(this JsonNode page) => page["logs"]!.AsArray().Select(l => l!.Id()).ToList();
}
