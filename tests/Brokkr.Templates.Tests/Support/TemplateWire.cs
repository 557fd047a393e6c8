using System.Text.Json;
using Npgsql;

namespace Brokkr.Templates.Tests.Support;

/// <summary>Requests and assertions on the raw wire for templates, plus direct reads of rows the API does not show.</summary>
public static class TemplateWire
{
    public static readonly string[] TemplateKeys =
        ["id", "created_at", "updated_at", "deleted_at", "generator_id", "name", "description", "version", "template_content", "parameters_schema", "checksum"];

    public static readonly string[] DeploymentObjectKeys =
        ["id", "created_at", "updated_at", "deleted_at", "sequence_id", "stack_id", "yaml_content", "yaml_checksum", "submitted_at", "is_deletion_marker"];

    public const string Content = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ name }}\ndata:\n  replicas: \"{{ replicas }}\"\n";

    public const string Schema = """{"type":"object","properties":{"name":{"type":"string"},"replicas":{"type":"integer","minimum":1}},"required":["name","replicas"]}""";

    public static object Body(string? name = null, string content = Content, string schema = Schema, string? description = null)
        => new { name = name ?? Scenario.Unique("tpl"), description, template_content = content, parameters_schema = schema };

    public static async Task<JsonNode> CreateTemplateAsync(this HttpClient client, string? name = null, string content = Content, string schema = Schema, string? description = null)
        => await (await client.PostJsonAsync("/api/v1/templates", Body(name, content, schema, description))).JsonAsync(HttpStatusCode.Created);

    public static async Task TemplateLabelAsync(this HttpClient client, Guid templateId, string label)
        => await (await client.PostJsonAsync($"/api/v1/templates/{templateId}/labels", JsonSerializer.Serialize(label))).JsonAsync(HttpStatusCode.Created);

    public static async Task TemplateAnnotationAsync(this HttpClient client, Guid templateId, string key, string value)
        => await (await client.PostJsonAsync($"/api/v1/templates/{templateId}/annotations", new { key, value })).JsonAsync(HttpStatusCode.Created);

    public static Task<HttpResponseMessage> InstantiateAsync(this HttpClient client, Guid stackId, Guid templateId, object? parameters)
        => client.PostJsonAsync($"/api/v1/stacks/{stackId}/deployment-objects/from-template", new { template_id = templateId, parameters });

    public static void ShouldHaveExactKeys(this JsonNode node, params string[] keys)
        => node.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ShouldBe(keys.Order(StringComparer.Ordinal), $"keys of {node.ToJsonString()}");

    public static async Task<JsonArray> ArrayAsync(this HttpResponseMessage response) => (await response.JsonAsync(HttpStatusCode.OK)).AsArray();

    public static IReadOnlyList<Guid> Ids(this JsonArray array) => array.Select(n => n!.Id()).ToList();

    public static async Task<List<Dictionary<string, object?>>> RowsAsync(this BrokkrApiFactory api, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = new List<Dictionary<string, object?>>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public static async Task ExpectAsync(this HttpResponseMessage response, int status, string? code)
    {
        if (code is null)
        {
            var text = await response.Content.ReadAsStringAsync();
            ((int)response.StatusCode).ShouldBe(status, text);
            return;
        }

        await response.ShouldFailAsync((HttpStatusCode)status, code);
    }
}
