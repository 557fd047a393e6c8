namespace Brokkr.Audit.Tests;

/// <summary>
/// Each filter of <c>GET /admin/audit-logs</c> (behaviour §3.10) on its own. Every test writes rows under a
/// resource type of its own and filters on it too, so the tests of the class share one database.
/// </summary>
public sealed class ListAuditLogsFilterTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly HttpClient _admin = api.Admin();

    [Fact]
    public async Task Actor_type_and_actor_id_select_the_entries_of_that_actor()
    {
        var scope = Scenario.Unique("rt");
        var agent = Guid.NewGuid();
        var otherAgent = Guid.NewGuid();
        var byAgent = await api.InsertAsync(scope, actorType: "agent", actorId: agent);
        var byOtherAgent = await api.InsertAsync(scope, actorType: "agent", actorId: otherAgent);
        var byGenerator = await api.InsertAsync(scope, actorType: "generator", actorId: agent);
        await api.InsertAsync(scope, actorType: "admin");

        (await _admin.AuditLogsAsync($"resource_type={scope}&actor_type=agent")).LogIds().ShouldBe([byAgent, byOtherAgent], ignoreOrder: true);
        (await _admin.AuditLogsAsync($"resource_type={scope}&actor_id={agent}")).LogIds().ShouldBe([byAgent, byGenerator], ignoreOrder: true);
        (await _admin.AuditLogsAsync($"resource_type={scope}&actor_type=agent&actor_id={agent}")).LogIds().ShouldBe([byAgent]);
        (await _admin.AuditLogsAsync($"resource_type={scope}&actor_type=nobody")).LogIds().ShouldBeEmpty();
    }

    [Fact]
    public async Task Action_is_an_exact_match_unless_it_ends_with_a_star()
    {
        var scope = Scenario.Unique("rt");
        var created = await api.InsertAsync(scope, action: "agent.created");
        var deleted = await api.InsertAsync(scope, action: "agent.deleted");
        var stack = await api.InsertAsync(scope, action: "stack.created");
        var agents = await api.InsertAsync(scope, action: "agents.listed");

        (await _admin.AuditLogsAsync($"resource_type={scope}&action=agent.created")).LogIds().ShouldBe([created]);
        (await _admin.AuditLogsAsync($"resource_type={scope}&action=agent")).LogIds().ShouldBeEmpty();
        (await _admin.AuditLogsAsync($"resource_type={scope}&action=agent.*")).LogIds().ShouldBe([created, deleted], ignoreOrder: true);
        (await _admin.AuditLogsAsync($"resource_type={scope}&action=agent*")).LogIds().ShouldBe([created, deleted, agents], ignoreOrder: true);
        (await _admin.AuditLogsAsync($"resource_type={scope}&action=*")).LogIds().ShouldBe([created, deleted, stack, agents], ignoreOrder: true);
    }

    [Theory]
    [InlineData("a_b*", "a_b.x", "axb.x")]
    [InlineData("50%*", "50%.off", "500.off")]
    [InlineData("back\\slash*", "back\\slash.x", "backxslash.x")]
    public async Task An_action_prefix_is_matched_literally_whatever_like_wildcards_it_contains(string filter, string matching, string lookalike)
    {
        var scope = Scenario.Unique("rt");
        var literal = await api.InsertAsync(scope, action: matching);
        await api.InsertAsync(scope, action: lookalike);

        (await _admin.AuditLogsAsync($"resource_type={scope}&action={Uri.EscapeDataString(filter)}")).LogIds().ShouldBe([literal]);
    }

    [Fact]
    public async Task Resource_type_and_resource_id_select_the_entries_about_that_resource()
    {
        var scope = Scenario.Unique("rt");
        var other = Scenario.Unique("rt");
        var resource = Guid.NewGuid();
        var about = await api.InsertAsync(scope, resourceId: resource);
        var sameIdOtherType = await api.InsertAsync(other, resourceId: resource);
        await api.InsertAsync(scope, resourceId: Guid.NewGuid());

        (await _admin.AuditLogsAsync($"resource_type={scope}&resource_id={resource}")).LogIds().ShouldBe([about]);
        (await _admin.AuditLogsAsync($"resource_id={resource}")).LogIds().ShouldBe([about, sameIdOtherType], ignoreOrder: true);
        (await _admin.AuditLogsAsync($"resource_type={other}")).LogIds().ShouldBe([sameIdOtherType]);
    }

    [Fact]
    public async Task From_is_inclusive_and_to_is_exclusive()
    {
        var scope = Scenario.Unique("rt");
        var before = await api.InsertAsync(scope, at: AuditSeed.Base.AddSeconds(-1));
        var atFrom = await api.InsertAsync(scope, at: AuditSeed.Base);
        var inside = await api.InsertAsync(scope, at: AuditSeed.Base.AddMinutes(30));
        var atTo = await api.InsertAsync(scope, at: AuditSeed.Base.AddHours(1));

        var from = "2025-03-01T12:00:00Z";
        var to = Uri.EscapeDataString("2025-03-01T14:00:00+01:00");
        (await _admin.AuditLogsAsync($"resource_type={scope}&from={from}&to={to}")).LogIds().ShouldBe([inside, atFrom]);
        (await _admin.AuditLogsAsync($"resource_type={scope}&from={from}")).LogIds().ShouldBe([atTo, inside, atFrom]);
        (await _admin.AuditLogsAsync($"resource_type={scope}&to={to}")).LogIds().ShouldBe([inside, atFrom, before]);
    }

    [Fact]
    public async Task Filters_combine_and_the_total_counts_what_they_match()
    {
        var scope = Scenario.Unique("rt");
        var agent = Guid.NewGuid();
        var match = await api.InsertAsync(scope, action: "workorder.claimed", actorType: "agent", actorId: agent, at: AuditSeed.Base);
        await api.InsertAsync(scope, action: "workorder.claimed", actorType: "agent", actorId: agent, at: AuditSeed.Base.AddDays(-1));
        await api.InsertAsync(scope, action: "agent.updated", actorType: "agent", actorId: agent, at: AuditSeed.Base);

        var page = await _admin.AuditLogsAsync($"resource_type={scope}&actor_type=agent&actor_id={agent}&action=workorder.*&from=2025-03-01T00:00:00Z");

        page.LogIds().ShouldBe([match]);
        page["total"]!.GetValue<long>().ShouldBe(1);
        page["count"]!.GetValue<int>().ShouldBe(1);
    }
}
