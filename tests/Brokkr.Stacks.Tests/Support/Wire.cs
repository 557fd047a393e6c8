using System.Net.Http.Headers;
using System.Text;
using Brokkr.Shared.Data;
using LinqToDB.Data;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Brokkr.Stacks.Tests.Support;

/// <summary>Assertions and requests on the raw wire, plus direct rows for what this branch has no endpoint for.</summary>
public static class Wire
{
    public static readonly string[] StackKeys = ["id", "created_at", "updated_at", "deleted_at", "name", "description", "generator_id"];

    public static readonly string[] DeploymentObjectKeys =
        ["id", "created_at", "updated_at", "deleted_at", "sequence_id", "stack_id", "yaml_content", "yaml_checksum", "submitted_at", "is_deletion_marker"];

    public const string Yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n";

    public static void ShouldHaveExactKeys(this JsonNode node, params string[] keys)
        => node.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ShouldBe(keys.Order(StringComparer.Ordinal), $"keys of {node.ToJsonString()}");

    public static async Task<JsonArray> ArrayAsync(this HttpResponseMessage response) => (await response.JsonAsync(HttpStatusCode.OK)).AsArray();

    public static IReadOnlyList<Guid> Ids(this JsonArray array) => array.Select(n => n!.Id()).ToList();

    public static long Sequence(this JsonNode node) => node["sequence_id"]!.GetValue<long>();

    public static Task<HttpResponseMessage> GetAsync(this HttpClient client, string url, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> SendBytesAsync(this HttpClient client, HttpMethod method, string url, byte[] body, string? contentType)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return client.SendAsync(new HttpRequestMessage(method, url) { Content = content });
    }

    public static Task<HttpResponseMessage> PostYamlAsync(this HttpClient client, string url, string yaml, string contentType = "application/yaml")
        => client.SendBytesAsync(HttpMethod.Post, url, Encoding.UTF8.GetBytes(yaml), contentType);

    /// <summary>An agent's acknowledgement of a revision (the events endpoint lives in the Agents module).</summary>
    public static async Task AgentEventAsync(this BrokkrApiFactory api, Guid agentId, Guid deploymentObjectId, string status = "SUCCESS")
        => await ExecuteAsync(api,
            "INSERT INTO agent_events (agent_id, deployment_object_id, event_type, status) VALUES (@agent, @object, 'DEPLOY', @status)",
            ("agent", agentId), ("object", deploymentObjectId), ("status", status));

    /// <summary>
    /// Runs SQL on the broker's own connections, as one of its use cases would: the target-state
    /// cache hears of the change at once, as it does for the broker's own writes.
    /// </summary>
    public static async Task<int> ExecuteAsync(this BrokkrApiFactory api, string sql, params (string Name, object Value)[] parameters)
    {
        using var scope = api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrokkrDb>();
        return await db.ExecuteAsync(sql, [.. parameters.Select(p => new DataParameter(p.Name, p.Value))]);
    }

    /// <summary>Runs SQL on a connection of its own, as another process would.</summary>
    public static async Task<int> ExecuteElsewhereAsync(this BrokkrApiFactory api, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync();
    }

    public static async Task<List<T>> QueryAsync<T>(this BrokkrApiFactory api, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetFieldValue<T>(0));
        }

        return rows;
    }
}
