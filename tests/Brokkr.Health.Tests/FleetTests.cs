using Brokkr.Contracts.Fleet;

namespace Brokkr.Health.Tests;

/// <summary><c>GET /fleet</c> and <c>GET /agents/{id}/fleet-status</c> (behaviour §9, details §4.4, §4.6): keys, values, scope, callers.</summary>
public sealed class FleetTests(ClockedApiFactory api) : IClassFixture<ClockedApiFactory>
{
    private readonly Scenario _given = new(api);

    private static string Revision(string name) => $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n";

    [Fact]
    public async Task A_new_agents_record_has_exactly_the_reference_keys_with_nothing_measured()
    {
        var agent = await _given.AgentAsync(cluster: "cluster-fresh");

        var fleet = await api.FleetAsync();
        var record = fleet[agent.Id];

        record.ShouldHaveExactKeys(FleetScenario.RecordKeys);
        record.Str("cluster_name").ShouldBe("cluster-fresh");
        record.Str("status").ShouldBe("INACTIVE");
        record["ws_connected"]!.GetValue<bool>().ShouldBeFalse();
        foreach (var key in new[] { "connected_since", "last_heartbeat", "heartbeat_age_seconds", "last_event_at", "seconds_since_last_event", "k8s_reachable", "k8s_api_latency_ms" })
        {
            record[key].ShouldBeNull(key);
        }

        foreach (var key in new[] { "pending_object_count", "pending_work_orders", "claimed_work_orders", "health_failing", "health_degraded" })
        {
            record.Long(key).ShouldBe(0, key);
        }

        var status = await api.FleetStatusAsync(agent.Id);
        status.ShouldHaveExactKeys("record", "recent_events");
        status["record"]!.ToJsonString().ShouldBe(record.ToJsonString());
        status["recent_events"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Heartbeat_age_is_whole_seconds_since_the_last_heartbeat_floored_at_zero()
    {
        var agent = await _given.AgentAsync();
        var heartbeat = api.Now.AddSeconds(-42.7);
        await api.ExecuteAsync("UPDATE agents SET last_heartbeat = @at WHERE id = @id", ("at", heartbeat), ("id", agent.Id));

        var record = await api.RecordAsync(agent.Id);

        record.Long("heartbeat_age_seconds").ShouldBe(42);
        record.Timestamp("last_heartbeat").ShouldBe(heartbeat, TimeSpan.FromMilliseconds(1));
        api.Clock.Advance(TimeSpan.FromSeconds(10));
        (await api.RecordAsync(agent.Id)).Long("heartbeat_age_seconds").ShouldBe(52);

        await api.ExecuteAsync("UPDATE agents SET last_heartbeat = @at WHERE id = @id", ("at", api.Now.AddMinutes(5)), ("id", agent.Id));
        (await api.RecordAsync(agent.Id)).Long("heartbeat_age_seconds").ShouldBe(0);
    }

    [Fact]
    public async Task Kubernetes_reachability_is_what_the_agent_last_reported_on_its_heartbeat()
    {
        var agent = await _given.AgentAsync();

        (await api.WithPak(agent.Pak).PostJsonAsync($"/api/v1/agents/{agent.Id}/heartbeat", new { k8s_reachable = true, k8s_api_latency_ms = 12 }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var record = await api.RecordAsync(agent.Id);
        record["k8s_reachable"]!.GetValue<bool>().ShouldBeTrue();
        record.Long("k8s_api_latency_ms").ShouldBe(12);
        record["last_heartbeat"].ShouldNotBeNull();
    }

    [Fact]
    public async Task The_last_event_is_the_newest_live_one_and_its_age_is_counted_in_whole_seconds()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        var revision = (await _given.DeploymentObjectAsync(stack, Revision("events"))).Id();
        var newest = api.Now.AddSeconds(-100);
        await api.AcknowledgeAsync(agent.Id, revision, newest.AddMinutes(-5));
        await api.AcknowledgeAsync(agent.Id, revision, newest);
        await api.ExecuteAsync(
            "INSERT INTO agent_events (agent_id, deployment_object_id, event_type, status, created_at, deleted_at) VALUES (@agent, @object, 'DEPLOY', 'SUCCESS', @at, @at)",
            ("agent", agent.Id), ("object", revision), ("at", api.Now));

        var record = await api.RecordAsync(agent.Id);

        record.Timestamp("last_event_at").ShouldBe(newest, TimeSpan.FromMilliseconds(1));
        record.Long("seconds_since_last_event").ShouldBe(100);
    }

    [Fact]
    public async Task Pending_objects_are_what_incremental_target_state_returns_now()
    {
        var generator = await _given.GeneratorAsync();
        var foreign = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var label = Scenario.Unique("tier");
        await _given.AgentLabelAsync(agent.Id, label);
        var targeted = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, targeted);
        var labelled = await _given.StackAsync(generator.Id);
        await _given.StackLabelAsync(labelled, label);
        var unregistered = await _given.StackAsync(foreign.Id);
        await _given.StackLabelAsync(unregistered, label);
        await _given.DeploymentObjectAsync(unregistered, Revision("foreign"));

        async Task ShouldCountAsync(int expected)
        {
            (await api.RecordAsync(agent.Id)).Long("pending_object_count").ShouldBe(expected);
            (await api.TargetStateCountAsync(agent.Id)).ShouldBe(expected);
        }

        await ShouldCountAsync(0);
        var first = (await _given.DeploymentObjectAsync(targeted, Revision("first"))).Id();
        await ShouldCountAsync(1);
        await _given.DeploymentObjectAsync(targeted, Revision("second"));
        await ShouldCountAsync(1);
        var labelledRevision = (await _given.DeploymentObjectAsync(labelled, Revision("labelled"))).Id();
        await ShouldCountAsync(2);

        await api.AcknowledgeAsync(agent.Id, labelledRevision);
        await api.AcknowledgeAsync(agent.Id, first);
        await ShouldCountAsync(1);
        var latest = (await (await api.Admin().GetAsync($"/api/v1/agents/{agent.Id}/target-state")).ArrayAsync()).Single()!.Id();
        await api.AcknowledgeAsync(agent.Id, latest);
        await ShouldCountAsync(0);

        // A new revision after everything was acknowledged is pending again.
        await _given.DeploymentObjectAsync(labelled, Revision("labelled-2"));
        await ShouldCountAsync(1);

        await _given.RegisterAsync(agent.Id, foreign.Id);
        await ShouldCountAsync(2);
    }

    [Fact]
    public async Task A_deleted_stacks_deletion_marker_is_pending_until_acknowledged()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);
        await api.AcknowledgeAsync(agent.Id, (await _given.DeploymentObjectAsync(stack, Revision("doomed"))).Id());
        (await api.RecordAsync(agent.Id)).Long("pending_object_count").ShouldBe(0);

        (await api.Admin().DeleteAsync($"/api/v1/stacks/{stack}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await api.RecordAsync(agent.Id)).Long("pending_object_count").ShouldBe(1);
        var marker = (await (await api.Admin().GetAsync($"/api/v1/agents/{agent.Id}/target-state")).ArrayAsync()).Single()!;
        marker["is_deletion_marker"]!.GetValue<bool>().ShouldBeTrue();
        await api.AcknowledgeAsync(agent.Id, marker.Id());
        (await api.RecordAsync(agent.Id)).Long("pending_object_count").ShouldBe(0);
        (await api.TargetStateCountAsync(agent.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task Pending_work_orders_match_by_target_label_or_annotation_once_each_and_claimed_ones_are_the_agents()
    {
        var agent = await _given.AgentAsync();
        var other = await _given.AgentAsync();
        var label = Scenario.Unique("gpu");
        await _given.AgentLabelAsync(agent.Id, label);
        await _given.AgentAnnotationAsync(agent.Id, "zone", "eu-1");

        await api.WorkOrderAsync(agents: [agent.Id]);
        await api.WorkOrderAsync(labels: [label, Scenario.Unique("unrelated")]);
        await api.WorkOrderAsync(annotations: [("zone", "eu-1")]);
        await api.WorkOrderAsync(agents: [agent.Id, other.Id], labels: [label], annotations: [("zone", "eu-1")]);
        await api.WorkOrderAsync(annotations: [("zone", "eu-2")]);
        await api.WorkOrderAsync(labels: [Scenario.Unique("nobody")]);
        await api.WorkOrderAsync(status: "RETRY_PENDING", agents: [agent.Id]);
        await api.WorkOrderAsync(status: "CLAIMED", claimedBy: agent.Id, agents: [agent.Id]);
        await api.WorkOrderAsync(status: "CLAIMED", claimedBy: agent.Id, labels: [label]);
        await api.WorkOrderAsync(status: "CLAIMED", claimedBy: other.Id, agents: [agent.Id]);

        var record = await api.RecordAsync(agent.Id);
        record.Long("pending_work_orders").ShouldBe(4);
        record.Long("claimed_work_orders").ShouldBe(2);
        var otherRecord = await api.RecordAsync(other.Id);
        otherRecord.Long("pending_work_orders").ShouldBe(1);
        otherRecord.Long("claimed_work_orders").ShouldBe(1);
    }

    [Fact]
    public async Task Health_counts_are_the_agents_failing_and_degraded_records_stale_ones_included()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        var revisions = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            revisions.Add((await _given.DeploymentObjectAsync(stack, Revision($"health-{i}"))).Id());
        }

        await (await api.WithPak(agent.Pak).ReportAsync(agent.Id,
                HealthScenario.Report(revisions[0], "failing"),
                HealthScenario.Report(revisions[1], "failing"),
                HealthScenario.Report(revisions[2], "degraded"),
                HealthScenario.Report(revisions[3], "healthy")))
            .ShouldBeEmptyOkAsync();

        var record = await api.RecordAsync(agent.Id);
        record.Long("health_failing").ShouldBe(2);
        record.Long("health_degraded").ShouldBe(1);

        await (await api.WithPak(agent.Pak).ReportAsync(agent.Id, HealthScenario.Report(revisions[0], "healthy"))).ShouldBeEmptyOkAsync();
        (await api.RecordAsync(agent.Id)).Long("health_failing").ShouldBe(1);
    }

    [Fact]
    public async Task Pak_id_narrows_the_fleet_to_agents_registered_with_that_generator()
    {
        var tenant = await _given.GeneratorAsync();
        var otherTenant = await _given.GeneratorAsync();
        var mine = await _given.AgentAsync(generatorIds: tenant.Id);
        var theirs = await _given.AgentAsync(generatorIds: otherTenant.Id);
        var nobodys = await _given.AgentAsync();
        var system = await api.ScalarAsync<Guid>("SELECT id FROM generators WHERE name = '__system__'");

        (await api.FleetAsync($"?pak_id={tenant.Id}")).Keys.ShouldBe([mine.Id]);
        (await api.FleetAsync($"?pak_id={tenant.Id:N}")).Keys.ShouldBe([mine.Id]);
        (await api.FleetAsync($"?pak_id={Guid.NewGuid()}")).ShouldBeEmpty();
        var everyone = await api.FleetAsync($"?pak_id={system}");
        everyone.Keys.ShouldBe((await api.FleetAsync()).Keys);
        everyone.Keys.ShouldContain(nobodys.Id);
        everyone.Keys.ShouldContain(theirs.Id);

        (await api.Admin().DeleteAsync($"/api/v1/generators/{tenant.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await api.FleetAsync($"?pak_id={tenant.Id}")).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_fleet_lists_live_agents_oldest_first_and_pages_on_request()
    {
        var first = await _given.AgentAsync();
        var deleted = await _given.AgentAsync();
        var last = await _given.AgentAsync();
        (await api.Admin().DeleteAsync($"/api/v1/agents/{deleted.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var all = (await (await api.Admin().GetAsync("/api/v1/fleet")).ArrayAsync()).Select(r => r!.Id("agent_id")).ToList();

        all.ShouldNotContain(deleted.Id);
        all.IndexOf(first.Id).ShouldBeLessThan(all.IndexOf(last.Id));
        await (await api.Admin().GetAsync($"/api/v1/agents/{deleted.Id}/fleet-status")).ShouldFailAsync(HttpStatusCode.NotFound, "agent_not_found");
        var page = (await (await api.Admin().GetAsync($"/api/v1/fleet?limit=2&offset={all.Count - 2}")).ArrayAsync()).Select(r => r!.Id("agent_id"));
        page.ShouldBe(all.TakeLast(2));
    }

    [Theory]
    [InlineData("?pak_id=not-a-uuid", "invalid_query_parameter")]
    [InlineData("?limit=0", "invalid_query_parameter")]
    [InlineData("?limit=1001", "invalid_query_parameter")]
    [InlineData("?offset=-1", "invalid_query_parameter")]
    public async Task Query_values_that_do_not_parse_are_400_before_the_caller_is_checked(string query, string code)
    {
        var generator = await _given.GeneratorAsync();

        await (await api.Admin().GetAsync($"/api/v1/fleet{query}")).ShouldFailAsync(HttpStatusCode.BadRequest, code);
        await (await api.WithPak(generator.Pak).GetAsync($"/api/v1/fleet{query}")).ShouldFailAsync(HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task Fleet_views_are_admin_only_and_the_caller_is_checked_before_the_agent_is_looked_up()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);

        foreach (var url in new[] { "/api/v1/fleet", $"/api/v1/fleet?pak_id={generator.Id}", $"/api/v1/agents/{agent.Id}/fleet-status", $"/api/v1/agents/{Guid.NewGuid()}/fleet-status" })
        {
            await (await api.WithPak(generator.Pak).GetAsync(url)).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
            await (await api.WithPak(agent.Pak).GetAsync(url)).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
            await (await api.Anonymous().GetAsync(url)).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        }

        await (await api.Admin().GetAsync($"/api/v1/agents/{Guid.NewGuid()}/fleet-status")).ShouldFailAsync(HttpStatusCode.NotFound, "agent_not_found");
        (await api.Admin().GetAsync("/api/v1/agents/not-a-uuid/fleet-status")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Fleet_status_carries_the_twenty_newest_events_of_live_revisions()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var live = await _given.StackAsync(generator.Id);
        var doomed = await _given.StackAsync(generator.Id);
        var revision = (await _given.DeploymentObjectAsync(live, Revision("live"))).Id();
        var deletedRevision = (await _given.DeploymentObjectAsync(doomed, Revision("doomed"))).Id();
        for (var i = 0; i < 25; i++)
        {
            await api.AcknowledgeAsync(agent.Id, revision, api.Now.AddMinutes(-60 + i));
        }

        await api.AcknowledgeAsync(agent.Id, deletedRevision, api.Now);
        (await api.Admin().DeleteAsync($"/api/v1/stacks/{doomed}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var status = await api.FleetStatusAsync(agent.Id);

        var events = status["recent_events"]!.AsArray();
        events.Count.ShouldBe(20);
        events[0]!.ShouldHaveExactKeys(FleetScenario.AgentEventKeys);
        events.Select(e => e!.Id("deployment_object_id")).Distinct().ShouldBe([revision]);
        var times = events.Select(e => e!.Timestamp("created_at")).ToList();
        times.ShouldBe(times.OrderByDescending(t => t));
        times[0].ShouldBe(api.Now.AddMinutes(-36), TimeSpan.FromMilliseconds(1));
        status["record"]!.Timestamp("last_event_at").ShouldBe(api.Now, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task The_contract_query_answers_the_same_record_or_null()
    {
        var agent = await _given.AgentAsync();

        var record = await api.SendAsync(new GetFleetRecord(agent.Id));

        record.ShouldNotBeNull();
        System.Text.Json.JsonSerializer.Serialize(record, Brokkr.Shared.Json.BrokkrJson.Options).ShouldBe((await api.RecordAsync(agent.Id)).ToJsonString());
        (await api.SendAsync(new GetFleetRecord(Guid.NewGuid()))).ShouldBeNull();
    }
}
