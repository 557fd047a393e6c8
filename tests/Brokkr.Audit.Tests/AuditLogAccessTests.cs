using System.Diagnostics;
using Npgsql;

namespace Brokkr.Audit.Tests;

/// <summary>Who may read the audit log, how bad query values are answered, and what the read costs the database.</summary>
public sealed class AuditLogAccessTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    [Fact]
    public async Task Without_a_pak_then_401()
        => await (await api.Anonymous().GetAsync("/api/v1/admin/audit-logs")).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");

    [Fact]
    public async Task Agents_and_generators_get_403_admin_required()
    {
        var scenario = new Scenario(api);
        var agent = await scenario.AgentAsync();
        var generator = await scenario.GeneratorAsync();

        await (await api.WithPak(agent.Pak).GetAsync("/api/v1/admin/audit-logs")).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        await (await api.WithPak(generator.Pak).GetAsync($"/api/v1/admin/audit-logs?actor_id={generator.Id}")).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
    }

    [Theory]
    [InlineData("actor_id=nope", "actor_id")]
    [InlineData("resource_id=123", "resource_id")]
    [InlineData("from=2025-03-01T12:00:00", "from")]
    [InlineData("to=yesterday", "to")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=", "limit")]
    [InlineData("offset=-1", "offset")]
    [InlineData("offset=1.5", "offset")]
    public async Task A_query_value_that_does_not_parse_is_400_before_the_caller_check(string query, string parameter)
    {
        var generator = await new Scenario(api).GeneratorAsync();

        var forAdmin = await (await api.Admin().GetAsync("/api/v1/admin/audit-logs?" + query)).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");
        await (await api.WithPak(generator.Pak).GetAsync("/api/v1/admin/audit-logs?" + query)).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");

        forAdmin["details"]!["parameter"]!.GetValue<string>().ShouldBe(parameter);
    }

    [Fact]
    public async Task A_page_is_one_statement_for_the_entries_and_one_for_the_total()
    {
        var scope = Scenario.Unique("rt");
        var agent = await new Scenario(api).AgentAsync();
        await api.InsertAsync(scope, actorType: "agent", actorId: agent.Id);
        await api.InsertAsync(scope, actorType: "generator", actorId: Guid.NewGuid());
        var admin = api.Admin();
        await admin.AuditLogsAsync("limit=1");

        var statements = await StatementsAsync(() => admin.AuditLogsAsync($"resource_type={scope}&action=agent.*"));

        statements.Count.ShouldBe(2, string.Join(Environment.NewLine, statements));
        statements.ShouldContain(s => s.Contains("audit_actor_names", StringComparison.Ordinal));
        statements.ShouldContain(s => s.Contains("COUNT(*)", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_operation_is_documented_with_the_reference_id_tag_and_parameters()
    {
        var document = await (await api.Anonymous().GetAsync("/docs/openapi.json")).JsonAsync(HttpStatusCode.OK);

        var operation = document["paths"]!["/admin/audit-logs"]!["get"]!;
        operation.Str("operationId").ShouldBe("list_audit_logs");
        operation["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["Admin"]);
        var parameters = operation["parameters"]!.AsArray().ToDictionary(p => p!.Str("name"), p => p!);
        parameters.Keys.ShouldBe(["actor_type", "actor_id", "action", "resource_type", "resource_id", "from", "to", "limit", "offset"], ignoreOrder: true);
        parameters["actor_id"]!["schema"]!.Str("format").ShouldBe("uuid");
        parameters["from"]!["schema"]!.Str("format").ShouldBe("date-time");
        parameters["limit"]!["schema"]!.Str("type").ShouldBe("integer");
        parameters.Values.ShouldAllBe(p => p!.Str("in") == "query");
        var schemas = document["components"]!["schemas"]!.AsObject();
        schemas.ContainsKey("AuditLogListResponse").ShouldBeTrue();
        schemas.ContainsKey("AuditLogEntry").ShouldBeTrue();
    }

    /// <summary>The SQL the broker sends to this test's database while <paramref name="action"/> runs, PAK lookups left out.</summary>
    private async Task<List<string>> StatementsAsync(Func<Task> action)
    {
        var database = new NpgsqlConnectionStringBuilder(api.ConnectionString).Database;
        var statements = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                var text = activity.TagObjects.Select(t => t.Value as string).FirstOrDefault(v => v is not null && v.Contains("SELECT", StringComparison.OrdinalIgnoreCase));
                if (activity.TagObjects.Any(t => Equals(t.Value as string, database)) && text is not null && !text.Contains("admin_role", StringComparison.Ordinal)
                    && !text.Contains("pak_hash", StringComparison.Ordinal))
                {
                    lock (statements)
                    {
                        statements.Add(text);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await action();
        lock (statements)
        {
            return [.. statements];
        }
    }
}
