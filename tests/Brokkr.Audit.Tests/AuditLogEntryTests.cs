namespace Brokkr.Audit.Tests;

/// <summary>What one entry looks like on the wire, and the actor name resolved when it is read.</summary>
public sealed class AuditLogEntryTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private static readonly string[] EntryKeys =
        ["id", "timestamp", "actor_type", "actor_id", "action", "resource_type", "resource_id", "details", "created_at", "actor_name"];

    private readonly HttpClient _admin = api.Admin();

    [Fact]
    public async Task An_entry_carries_every_field_with_details_as_json_and_no_ip_or_user_agent_when_unset()
    {
        var scope = Scenario.Unique("rt");
        var resource = Guid.NewGuid();
        var id = await api.InsertAsync(scope, action: "stack.created", resourceId: resource, at: AuditSeed.Base.AddTicks(1_234_560),
            details: """{"name": "web", "generator_id": null, "n": [1, 2]}""");

        var entry = (await _admin.AuditLogsAsync($"resource_type={scope}"))["logs"]![0]!;

        entry.ShouldHaveExactKeys(EntryKeys);
        entry.Id().ShouldBe(id);
        entry.Str("timestamp").ShouldBe("2025-03-01T12:00:00.123456Z");
        entry.Str("created_at").ShouldBe("2025-03-01T12:00:00.123456Z");
        entry.Str("actor_type").ShouldBe("admin");
        entry["actor_id"].ShouldBeNull();
        entry.Str("action").ShouldBe("stack.created");
        entry.Str("resource_type").ShouldBe(scope);
        entry.Id("resource_id").ShouldBe(resource);
        JsonNode.DeepEquals(entry["details"], JsonNode.Parse("""{"generator_id":null,"n":[1,2],"name":"web"}""")).ShouldBeTrue(entry["details"]!.ToJsonString());
        entry.Str("actor_name").ShouldBe("admin");
    }

    [Fact]
    public async Task A_failed_authentication_is_listed_with_its_ip_address_and_user_agent()
    {
        var client = api.WithPak("brokkr_BRnotreal_1111111111111111111111111");
        client.DefaultRequestHeaders.UserAgent.ParseAdd("audit-test/1.0");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7, 10.0.0.1");
        await (await client.GetAsync("/api/v1/agents")).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");

        var entry = (await _admin.AuditLogsAsync("action=auth.failed&limit=1"))["logs"]![0]!;

        entry.ShouldHaveExactKeys([.. EntryKeys, "ip_address", "user_agent"]);
        entry.Str("ip_address").ShouldBe("203.0.113.7");
        entry.Str("user_agent").ShouldBe("audit-test/1.0");
        entry.Str("actor_type").ShouldBe("system");
        entry.Str("actor_name").ShouldBe("system");
        entry["details"]!["path"]!.GetValue<string>().ShouldBe("/api/v1/agents");
    }

    [Fact]
    public async Task Actor_names_are_the_agent_or_generator_name_as_it_is_now()
    {
        var scenario = new Scenario(api);
        var generator = await scenario.GeneratorAsync(Scenario.Unique("gen"));
        var agent = await scenario.AgentAsync(Scenario.Unique("agent"));
        var scope = Scenario.Unique("rt");
        var byAgent = await api.InsertAsync(scope, actorType: "agent", actorId: agent.Id, at: AuditSeed.Base.AddSeconds(3));
        var byGenerator = await api.InsertAsync(scope, actorType: "generator", actorId: generator.Id, at: AuditSeed.Base.AddSeconds(2));
        var byUnknownAgent = await api.InsertAsync(scope, actorType: "agent", actorId: Guid.NewGuid(), at: AuditSeed.Base.AddSeconds(1));
        var agentIdAsGenerator = await api.InsertAsync(scope, actorType: "generator", actorId: agent.Id, at: AuditSeed.Base);
        var renamed = Scenario.Unique("renamed");
        (await _admin.PutJsonAsync($"/api/v1/agents/{agent.Id}", new { name = renamed })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var names = (await _admin.AuditLogsAsync($"resource_type={scope}"))["logs"]!.AsArray()
            .ToDictionary(l => l!.Id(), l => l!["actor_name"]?.GetValue<string>());

        names[byAgent].ShouldBe(renamed);
        names[byGenerator].ShouldNotBeNull().ShouldStartWith("gen-");
        names[byUnknownAgent].ShouldBeNull();
        names[agentIdAsGenerator].ShouldBeNull();
    }

    [Fact]
    public async Task A_deleted_agent_keeps_its_name_in_the_history()
    {
        var agent = await new Scenario(api).AgentAsync(Scenario.Unique("gone"));
        (await _admin.DeleteAsync($"/api/v1/agents/{agent.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var deleted = (await _admin.AuditLogsAsync($"action=agent.deleted&resource_id={agent.Id}"))["logs"]!.AsArray().Single()!;
        var created = (await _admin.AuditLogsAsync($"action=agent.created&resource_id={agent.Id}"))["logs"]!.AsArray().Single()!;

        deleted.Str("actor_type").ShouldBe("admin");
        created.Str("actor_name").ShouldBe("admin");
        var scope = Scenario.Unique("rt");
        await api.InsertAsync(scope, actorType: "agent", actorId: agent.Id);
        (await _admin.AuditLogsAsync($"resource_type={scope}"))["logs"]![0]!.Str("actor_name").ShouldStartWith("gone-");
    }

    [Fact]
    public async Task Audited_api_actions_are_listed_newest_first()
    {
        var scenario = new Scenario(api);
        var generator = await scenario.GeneratorAsync();
        var stack = await scenario.StackAsync(generator.Id);

        var page = await _admin.AuditLogsAsync($"resource_id={stack}");

        page["logs"]!.AsArray().Select(l => l!.Str("action")).ShouldBe(["stack.created"]);
        var latest = (await _admin.AuditLogsAsync("limit=2"))["logs"]!.AsArray();
        latest[0]!.Str("action").ShouldBe("stack.created");
        latest[0]!.Timestamp("timestamp").ShouldBeGreaterThanOrEqualTo(latest[1]!.Timestamp("timestamp"));
    }
}
