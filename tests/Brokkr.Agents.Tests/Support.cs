using System.Net;
using System.Text.Json.Nodes;
using Brokkr.Testing;
using Npgsql;

namespace Brokkr.Agents.Tests;

internal static class Keys
{
    public static readonly string[] Agent =
        ["id", "created_at", "updated_at", "deleted_at", "name", "cluster_name", "last_heartbeat", "status", "k8s_reachable", "k8s_api_latency_ms", "k8s_reported_at"];

    public static readonly string[] AgentEvent =
        ["id", "created_at", "updated_at", "deleted_at", "agent_id", "deployment_object_id", "event_type", "status", "message"];

    public static readonly string[] Registration = ["id", "agent_id", "generator_id", "registered_at"];

    public static void ShouldHaveKeys(this JsonNode? node, params string[] keys)
    {
        node.ShouldNotBeNull();
        node.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToArray()
            .ShouldBe(keys.Order(StringComparer.Ordinal).ToArray(), node.ToJsonString());
    }

    public static JsonArray Items(this JsonNode node) => node.AsArray();

    public static List<Guid> Ids(this JsonNode node, string key = "id") => node.AsArray().Select(n => n!.Id(key)).ToList();
}

/// <summary>The identities a matrix test needs: admin, a generator, the agent, another agent, nobody.</summary>
internal sealed record Cast(
    HttpClient Admin,
    HttpClient Anonymous,
    HttpClient Generator,
    Guid GeneratorId,
    HttpClient Agent,
    Guid AgentId,
    string AgentPak,
    HttpClient OtherAgent,
    Guid OtherAgentId)
{
    public static async Task<Cast> CreateAsync(BrokkrApiFactory api, Scenario given)
    {
        var generator = await given.GeneratorAsync();
        var agent = await given.AgentAsync(generatorIds: generator.Id);
        var other = await given.AgentAsync();
        return new Cast(api.Admin(), api.Anonymous(), api.WithPak(generator.Pak), generator.Id,
            api.WithPak(agent.Pak), agent.Id, agent.Pak, api.WithPak(other.Pak), other.Id);
    }
}

internal sealed record AuditRow(string ActorType, Guid? ActorId, string ResourceType, Guid? ResourceId, JsonNode? Details);

internal static class Database
{
    public static async Task<List<AuditRow>> AuditAsync(BrokkrApiFactory api, string action, Guid resourceId)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT actor_type, actor_id, resource_type, resource_id, details::text FROM audit_logs WHERE action = $1 AND resource_id = $2 ORDER BY timestamp",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = action });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = resourceId });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<AuditRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new AuditRow(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetGuid(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetGuid(3),
                reader.IsDBNull(4) ? null : JsonNode.Parse(reader.GetString(4))));
        }

        return rows;
    }

    public static async Task<object?> ScalarAsync(BrokkrApiFactory api, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    public static Task ExecuteAsync(BrokkrApiFactory api, string sql, params object[] parameters) => ScalarAsync(api, sql, parameters);
}

internal static class Http
{
    public static async Task ShouldBeAsync(this Task<HttpResponseMessage> response, HttpStatusCode status)
    {
        var message = await response;
        message.StatusCode.ShouldBe(status, await message.Content.ReadAsStringAsync());
    }

    public static async Task<JsonNode> ShouldFailAsync(this Task<HttpResponseMessage> response, HttpStatusCode status, string code)
        => await (await response).ShouldFailAsync(status, code);

    public static async Task<JsonNode> JsonAsync(this Task<HttpResponseMessage> response, HttpStatusCode status)
        => await (await response).JsonAsync(status);
}
