using System.Net;
using System.Text.Json.Nodes;
using Brokkr.Testing;
using Npgsql;

namespace Brokkr.Generators.Tests;

/// <summary>The identities a generator route is checked against, built through the API.</summary>
internal sealed record Callers(
    HttpClient None,
    HttpClient Admin,
    HttpClient Own,
    HttpClient Other,
    HttpClient Agent,
    Guid OwnId,
    string OwnPak,
    Guid OtherId,
    Guid AgentId,
    string AgentPak)
{
    public static async Task<Callers> CreateAsync(BrokkrApiFactory api)
    {
        var given = new Scenario(api);
        var own = await given.GeneratorAsync();
        var other = await given.GeneratorAsync();
        var agent = await given.AgentAsync(generatorIds: own.Id);
        return new Callers(api.Anonymous(), api.Admin(), api.WithPak(own.Pak), api.WithPak(other.Pak), api.WithPak(agent.Pak),
            own.Id, own.Pak, other.Id, agent.Id, agent.Pak);
    }
}

internal sealed record AuditRow(string ActorType, Guid? ActorId, string ResourceType, JsonNode? Details);

internal static class Support
{
    public static readonly string[] GeneratorKeys =
        ["created_at", "deleted_at", "description", "id", "is_active", "is_system", "last_active_at", "name", "updated_at"];

    public static readonly string[] RegistrationKeys = ["agent_id", "generator_id", "id", "registered_at"];

    public static string[] Keys(this JsonNode? node) => [.. node!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)];

    public static async Task<IReadOnlyList<AuditRow>> AuditAsync(this BrokkrApiFactory api, string action, Guid resourceId)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT actor_type, actor_id, resource_type, details::text FROM audit_logs WHERE action = $1 AND resource_id = $2 ORDER BY \"timestamp\"", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = action });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = resourceId });
        var rows = new List<AuditRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new AuditRow(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetGuid(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : JsonNode.Parse(reader.GetString(3))));
        }

        return rows;
    }

    public static async Task<T?> ScalarAsync<T>(this BrokkrApiFactory api, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    public static async Task<Guid> SystemGeneratorIdAsync(this BrokkrApiFactory api)
        => await api.ScalarAsync<Guid>("SELECT id FROM generators WHERE is_system AND deleted_at IS NULL");

    /// <summary>Asserts that the PAK authenticates as the generator.</summary>
    public static async Task ShouldAuthenticateAsGeneratorAsync(this BrokkrApiFactory api, string pak, Guid generatorId)
    {
        var body = await (await api.WithPak(pak).PostAsync("/api/v1/auth/pak", null)).JsonAsync(HttpStatusCode.OK);
        body.ToJsonString().ShouldBe($$"""{"admin":false,"agent":null,"generator":"{{generatorId}}","readonly":false}""");
    }

    public static async Task ShouldBeRefusedAsync(this BrokkrApiFactory api, string pak)
        => await (await api.WithPak(pak).PostAsync("/api/v1/auth/pak", null)).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
}
