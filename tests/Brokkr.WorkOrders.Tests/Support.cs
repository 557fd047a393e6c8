using Brokkr.WorkOrders.Features;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Brokkr.WorkOrders.Tests;

internal static class Keys
{
    public static readonly string[] WorkOrder =
    [
        "id", "created_at", "updated_at", "work_type", "yaml_content", "status", "claimed_by", "claimed_at",
        "claim_timeout_seconds", "max_retries", "retry_count", "backoff_seconds", "next_retry_after", "last_error", "last_error_at",
    ];

    public static readonly string[] WorkOrderLog =
        ["id", "work_type", "created_at", "claimed_at", "completed_at", "claimed_by", "success", "retries_attempted", "result_message", "yaml_content"];

    public static void ShouldHaveKeys(this JsonNode? node, params string[] keys)
    {
        node.ShouldNotBeNull();
        node.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToArray()
            .ShouldBe(keys.Order(StringComparer.Ordinal).ToArray(), node.ToJsonString());
    }

    public static List<Guid> Ids(this JsonNode node) => node.AsArray().Select(n => n!.Id()).ToList();

    public static DateTime Time(this JsonNode node, string key)
        => DateTime.Parse(node.Str(key), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind).ToUniversalTime();

    public static int Int(this JsonNode node, string key) => node[key]!.GetValue<int>();
}

internal sealed record AuditRow(string ActorType, Guid? ActorId, JsonNode? Details);

/// <summary>Requests of this module and direct reads of its tables.</summary>
internal static class WorkOrders
{
    public const string Yaml = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: build\n";

    public static async Task<JsonNode> CreateAsync(this HttpClient admin, object body)
        => await (await admin.PostJsonAsync("/api/v1/work-orders", body)).JsonAsync(HttpStatusCode.Created);

    /// <summary>A build order for the given agents (by id) with the given settings.</summary>
    public static async Task<Guid> OrderForAsync(this HttpClient admin, Guid[] agentIds, string workType = "build", int? maxRetries = null, int? backoffSeconds = null, int? claimTimeoutSeconds = null)
        => (await admin.CreateAsync(new
        {
            work_type = workType,
            yaml_content = Yaml,
            max_retries = maxRetries,
            backoff_seconds = backoffSeconds,
            claim_timeout_seconds = claimTimeoutSeconds,
            targeting = new { agent_ids = agentIds },
        })).Id();

    public static Task<HttpResponseMessage> ClaimAsync(this HttpClient client, Guid workOrderId, Guid agentId)
        => client.PostJsonAsync($"/api/v1/work-orders/{workOrderId}/claim", new { agent_id = agentId });

    public static Task<HttpResponseMessage> CompleteAsync(this HttpClient client, Guid workOrderId, object body)
        => client.PostJsonAsync($"/api/v1/work-orders/{workOrderId}/complete", body);

    public static async Task<List<Guid>> PendingAsync(this HttpClient client, Guid agentId, string query = "")
        => (await (await client.GetAsync($"/api/v1/agents/{agentId}/work-orders/pending{query}")).JsonAsync(HttpStatusCode.OK)).Ids();

    public static async Task<MaintainWorkOrders.Result> MaintainAsync(this BrokkrApiFactory api)
    {
        await using var scope = api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new MaintainWorkOrders.Command());
    }

    public static async Task<long> CountAsync(this BrokkrApiFactory api, string sql, params object[] parameters)
        => Convert.ToInt64(await api.ScalarAsync(sql, parameters), System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<object?> ScalarAsync(this BrokkrApiFactory api, string sql, params object[] parameters)
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

    public static async Task<List<AuditRow>> AuditAsync(this BrokkrApiFactory api, string action, Guid workOrderId)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT actor_type, actor_id, details::text FROM audit_logs WHERE action = $1 AND resource_type = 'work_order' AND resource_id = $2 ORDER BY timestamp",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = action });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = workOrderId });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<AuditRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new AuditRow(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.IsDBNull(2) ? null : JsonNode.Parse(reader.GetString(2))));
        }

        return rows;
    }
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

/// <summary>The broker with a clock the test moves: every use case takes "now" from it.</summary>
public sealed class ClockedApiFactory : BrokkrApiFactory
{
    /// <summary>Starts at a whole second of the real time, so stored timestamps compare exactly.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>Two agents (A and B) and a generator, with a client for each and for admin.</summary>
internal sealed record Cast(HttpClient Admin, HttpClient Anonymous, HttpClient Generator, Guid AgentA, HttpClient A, string PakA, Guid AgentB, HttpClient B)
{
    public static async Task<Cast> CreateAsync(BrokkrApiFactory api)
    {
        var given = new Scenario(api);
        var generator = await given.GeneratorAsync();
        var a = await given.AgentAsync();
        var b = await given.AgentAsync();
        return new Cast(api.Admin(), api.Anonymous(), api.WithPak(generator.Pak), a.Id, api.WithPak(a.Pak), a.Pak, b.Id, api.WithPak(b.Pak));
    }
}
