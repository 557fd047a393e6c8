using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;

namespace Brokkr.Testing.Support;

/// <summary>Assertions on the raw wire, direct rows for what other modules own, and use cases sent in-process.</summary>
public static class Wire
{
    public const string Yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n";

    public static void ShouldHaveExactKeys(this JsonNode node, params string[] keys)
        => node.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ShouldBe(keys.Order(StringComparer.Ordinal), $"keys of {node.ToJsonString()}");

    public static async Task<JsonArray> ArrayAsync(this HttpResponseMessage response) => (await response.JsonAsync(HttpStatusCode.OK)).AsArray();

    public static IReadOnlyList<Guid> Ids(this JsonArray array) => array.Select(n => n!.Id()).ToList();

    public static async Task ShouldBeEmptyOkAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        text.ShouldBeEmpty();
    }

    public static Task<HttpResponseMessage> SendTextAsync(this HttpClient client, HttpMethod method, string url, string body, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return client.SendAsync(new HttpRequestMessage(method, url) { Content = content });
    }

    /// <summary>Sends a use case through the mediator in a request scope of its own, as a scheduled job does.</summary>
    public static async Task<T> SendAsync<T>(this BrokkrApiFactory api, IRequest<T> request)
    {
        await using var scope = api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(request);
    }

    public static async Task<T> SendAsync<T>(this BrokkrApiFactory api, ICommand<T> command)
    {
        await using var scope = api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(command);
    }

    public static async Task<T> SendAsync<T>(this BrokkrApiFactory api, IQuery<T> query)
    {
        await using var scope = api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(query);
    }

    public static async Task<int> ExecuteAsync(this BrokkrApiFactory api, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return await command.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(this BrokkrApiFactory api, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static DateTime Timestamp(this JsonNode node, string key)
        => DateTime.Parse(node[key]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
}
