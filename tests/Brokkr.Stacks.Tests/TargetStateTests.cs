using System.Security.Cryptography;

namespace Brokkr.Stacks.Tests;

/// <summary>Targeting (behaviour §4) through <c>GET /agents/{id}/target-state</c> and <c>GET /agents/{id}/stacks</c>.</summary>
public sealed class TargetStateTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);

    private static string Revision(string name) => $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n";

    private async Task<JsonArray> StateAsync(Guid agent, string query = "")
        => await (await api.Admin().GetAsync($"/api/v1/agents/{agent}/target-state{query}")).ArrayAsync();

    private async Task<IReadOnlyList<Guid>> StackIdsAsync(Guid agent)
        => (await (await api.Admin().GetAsync($"/api/v1/agents/{agent}/stacks")).ArrayAsync()).Ids();

    [Fact]
    public async Task Explicit_target_delivers_the_stacks_revision_to_the_agent_itself()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);
        var revision = await _given.DeploymentObjectAsync(stack, Revision("explicit"));

        var state = await (await api.WithPak(agent.Pak).GetAsync($"/api/v1/agents/{agent.Id}/target-state")).ArrayAsync();

        state.Count.ShouldBe(1);
        state[0]!.ShouldHaveExactKeys(Wire.DeploymentObjectKeys);
        state[0]!.ToJsonString().ShouldBe(revision.ToJsonString());
        var stacks = await (await api.WithPak(agent.Pak).GetAsync($"/api/v1/agents/{agent.Id}/stacks")).ArrayAsync();
        stacks.Ids().ShouldBe([stack]);
        stacks[0]!.ShouldHaveExactKeys(Wire.StackKeys);
    }

    [Fact]
    public async Task Label_match_counts_only_for_generators_the_agent_is_registered_with()
    {
        var registered = await _given.GeneratorAsync();
        var foreign = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: registered.Id);
        var label = Scenario.Unique("env");
        await _given.AgentLabelAsync(agent.Id, label);
        await _given.AgentLabelAsync(agent.Id, Scenario.Unique("unused"));
        var matching = await _given.StackAsync(registered.Id);
        await _given.StackLabelAsync(matching, label);
        var unregistered = await _given.StackAsync(foreign.Id);
        await _given.StackLabelAsync(unregistered, label);
        var unlabelled = await _given.StackAsync(registered.Id);
        await _given.StackLabelAsync(unlabelled, Scenario.Unique("other"));
        var revision = await _given.DeploymentObjectAsync(matching, Revision("label"));
        await _given.DeploymentObjectAsync(unregistered, Revision("foreign"));
        await _given.DeploymentObjectAsync(unlabelled, Revision("unlabelled"));

        (await StateAsync(agent.Id)).Ids().ShouldBe([revision.Id()]);
        (await StackIdsAsync(agent.Id)).ShouldBe([matching]);

        await _given.RegisterAsync(agent.Id, foreign.Id);

        (await StackIdsAsync(agent.Id)).ShouldBe(new[] { matching, unregistered }.Order());
        (await StateAsync(agent.Id)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Annotation_match_needs_the_exact_key_and_value_and_registration()
    {
        var registered = await _given.GeneratorAsync();
        var foreign = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: registered.Id);
        var key = Scenario.Unique("team");
        await _given.AgentAnnotationAsync(agent.Id, key, "blue");
        var exact = await _given.StackAsync(registered.Id);
        await _given.StackAnnotationAsync(exact, key, "blue");
        var otherValue = await _given.StackAsync(registered.Id);
        await _given.StackAnnotationAsync(otherValue, key, "green");
        var otherKey = await _given.StackAsync(registered.Id);
        await _given.StackAnnotationAsync(otherKey, Scenario.Unique("team"), "blue");
        var unregistered = await _given.StackAsync(foreign.Id);
        await _given.StackAnnotationAsync(unregistered, key, "blue");
        foreach (var stack in new[] { exact, otherValue, otherKey, unregistered })
        {
            await _given.DeploymentObjectAsync(stack, Revision(stack.ToString("N")));
        }

        (await StackIdsAsync(agent.Id)).ShouldBe([exact]);
        (await StateAsync(agent.Id)).Select(o => o!.Id("stack_id")).ShouldBe([exact]);
    }

    [Fact]
    public async Task A_stack_reached_several_ways_appears_once()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        var label = Scenario.Unique("l");
        await _given.StackLabelAsync(stack, label);
        await _given.AgentLabelAsync(agent.Id, label);
        await _given.StackAnnotationAsync(stack, "k", "v");
        await _given.AgentAnnotationAsync(agent.Id, "k", "v");
        await _given.TargetAsync(agent.Id, stack);
        await _given.DeploymentObjectAsync(stack, Revision("once"));

        (await StackIdsAsync(agent.Id)).ShouldBe([stack]);
        (await StateAsync(agent.Id)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Only_the_newest_live_revision_of_each_stack_is_served_newest_first()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var first = await _given.StackAsync(generator.Id);
        var second = await _given.StackAsync(generator.Id);
        var empty = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, first);
        await _given.TargetAsync(agent.Id, second);
        await _given.TargetAsync(agent.Id, empty);
        await _given.DeploymentObjectAsync(first, Revision("f1"));
        var secondNewest = await _given.DeploymentObjectAsync(second, Revision("s1"));
        var firstNewest = await _given.DeploymentObjectAsync(first, Revision("f2"));

        var state = await StateAsync(agent.Id, "?mode=full");

        state.Ids().ShouldBe([firstNewest.Id(), secondNewest.Id()]);
        state.Select(o => o!.Sequence()).ShouldBeInOrder(SortDirection.Descending);
        (await StackIdsAsync(agent.Id)).ShouldBe(new[] { first, second, empty }.Order());
    }

    [Theory]
    [InlineData("SUCCESS")]
    [InlineData("FAILURE")]
    public async Task Incremental_mode_drops_a_revision_the_agent_reported_on_and_full_mode_keeps_it(string status)
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var other = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);
        await _given.TargetAsync(other.Id, stack);
        var revision = (await _given.DeploymentObjectAsync(stack, Revision("ack"))).Id();

        await api.AgentEventAsync(agent.Id, revision, status);

        (await StateAsync(agent.Id)).ShouldBeEmpty();
        (await StateAsync(agent.Id, "?mode=incremental")).ShouldBeEmpty();
        (await StateAsync(agent.Id, "?mode=FULL")).ShouldBeEmpty();
        (await StateAsync(agent.Id, "?mode=nonsense")).ShouldBeEmpty();
        (await StateAsync(agent.Id, "?mode=full")).Ids().ShouldBe([revision]);
        (await StateAsync(other.Id)).Ids().ShouldBe([revision]);

        var next = (await _given.DeploymentObjectAsync(stack, Revision("ack2"))).Id();
        (await StateAsync(agent.Id)).Ids().ShouldBe([next]);
    }

    [Fact]
    public async Task A_soft_deleted_event_does_not_count_as_reported()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);
        var revision = (await _given.DeploymentObjectAsync(stack, Revision("soft"))).Id();
        await api.AgentEventAsync(agent.Id, revision);
        await api.ExecuteAsync("UPDATE agent_events SET deleted_at = now() WHERE agent_id = @a", ("a", agent.Id));

        (await StateAsync(agent.Id)).Ids().ShouldBe([revision]);
    }

    [Fact]
    public async Task Since_sequence_keeps_only_newer_objects_after_the_mode_filter()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var a = await _given.StackAsync(generator.Id);
        var b = await _given.StackAsync(generator.Id);
        var c = await _given.StackAsync(generator.Id);
        foreach (var stack in new[] { a, b, c })
        {
            await _given.TargetAsync(agent.Id, stack);
        }

        var oa = await _given.DeploymentObjectAsync(a, Revision("a"));
        var ob = await _given.DeploymentObjectAsync(b, Revision("b"));
        var oc = await _given.DeploymentObjectAsync(c, Revision("c"));
        await api.AgentEventAsync(agent.Id, oc.Id());

        (await StateAsync(agent.Id, $"?since_sequence={oa.Sequence()}")).Ids().ShouldBe([ob.Id()]);
        (await StateAsync(agent.Id, $"?mode=full&since_sequence={oa.Sequence()}")).Ids().ShouldBe([oc.Id(), ob.Id()]);
        (await StateAsync(agent.Id, $"?mode=full&since_sequence={oc.Sequence()}")).ShouldBeEmpty();
        (await StateAsync(agent.Id, "?mode=full&since_sequence=0")).Ids().ShouldBe([oc.Id(), ob.Id(), oa.Id()]);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("")]
    [InlineData("+3")]
    [InlineData("99999999999999999999")]
    public async Task Malformed_since_sequence_is_400(string value)
    {
        var agent = await _given.AgentAsync();

        var body = await (await api.WithPak(agent.Pak).GetAsync($"/api/v1/agents/{agent.Id}/target-state?since_sequence={Uri.EscapeDataString(value)}"))
            .ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");
        body["details"]!.Str("parameter").ShouldBe("since_sequence");
    }

    [Fact]
    public async Task Etag_is_strong_stable_and_changes_with_a_new_revision()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);
        await _given.DeploymentObjectAsync(stack, Revision("e1"));
        var client = api.WithPak(agent.Pak);
        var url = $"/api/v1/agents/{agent.Id}/target-state";

        var first = await client.GetAsync(url);
        var second = await client.GetAsync(url);
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        var etag = first.Headers.ETag!;
        etag.IsWeak.ShouldBeFalse();
        etag.Tag.ShouldMatch("^\"[0-9a-f]{64}\"$");
        second.Headers.ETag!.Tag.ShouldBe(etag.Tag);
        (await api.Admin().GetAsync(url)).Headers.ETag!.Tag.ShouldBe(etag.Tag);

        await _given.DeploymentObjectAsync(stack, Revision("e2"));

        (await client.GetAsync(url)).Headers.ETag!.Tag.ShouldNotBe(etag.Tag);
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("\"other\", {0}")]
    [InlineData("W/{0}")]
    [InlineData("*")]
    public async Task Matching_if_none_match_gets_304_with_an_empty_body_and_the_same_etag(string format)
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);
        await _given.DeploymentObjectAsync(stack, Revision("etag"));
        var client = api.WithPak(agent.Pak);
        var url = $"/api/v1/agents/{agent.Id}/target-state?mode=full";
        var etag = (await client.GetAsync(url)).Headers.ETag!.Tag;

        var response = await client.GetAsync(url, ("If-None-Match", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, etag)));

        response.StatusCode.ShouldBe(HttpStatusCode.NotModified);
        response.Headers.ETag!.Tag.ShouldBe(etag);
        (await response.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Stale_if_none_match_gets_the_full_answer()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);
        await _given.DeploymentObjectAsync(stack, Revision("stale1"));
        var client = api.WithPak(agent.Pak);
        var url = $"/api/v1/agents/{agent.Id}/target-state?mode=full";
        var stale = (await client.GetAsync(url)).Headers.ETag!.Tag;
        var newest = await _given.DeploymentObjectAsync(stack, Revision("stale2"));

        var response = await client.GetAsync(url, ("If-None-Match", stale));

        (await response.ArrayAsync()).Ids().ShouldBe([newest.Id()]);
        response.Headers.ETag!.Tag.ShouldNotBe(stale);
    }

    [Fact]
    public async Task Etag_differs_between_modes_and_cursors_even_for_the_same_objects()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);
        await _given.DeploymentObjectAsync(stack, Revision("modes"));
        var url = $"/api/v1/agents/{agent.Id}/target-state";

        var incremental = await api.Admin().GetAsync(url);
        var full = await api.Admin().GetAsync(url + "?mode=full");
        var since = await api.Admin().GetAsync(url + "?mode=full&since_sequence=0");

        (await incremental.ArrayAsync()).Count.ShouldBe(1);
        (await full.ArrayAsync()).Count.ShouldBe(1);
        (await since.ArrayAsync()).Count.ShouldBe(1);
        new[] { incremental.Headers.ETag!.Tag, full.Headers.ETag!.Tag, since.Headers.ETag!.Tag }.Distinct().Count().ShouldBe(3);
        (await api.Admin().GetAsync(url + "?mode=full", ("If-None-Match", incremental.Headers.ETag!.Tag))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Empty_target_state_has_an_etag_too()
    {
        var agent = await _given.AgentAsync();

        var response = await api.WithPak(agent.Pak).GetAsync($"/api/v1/agents/{agent.Id}/target-state");

        (await response.ArrayAsync()).ShouldBeEmpty();
        var etag = response.Headers.ETag!.Tag;
        (await api.WithPak(agent.Pak).GetAsync($"/api/v1/agents/{agent.Id}/target-state", ("If-None-Match", etag))).StatusCode.ShouldBe(HttpStatusCode.NotModified);
    }

    [Fact]
    public async Task Admin_on_an_unknown_or_deleted_agent_gets_an_empty_list()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);
        await _given.DeploymentObjectAsync(stack, Revision("gone"));
        await api.ExecuteAsync("UPDATE agents SET deleted_at = now() WHERE id = @a", ("a", agent.Id));

        (await StateAsync(Guid.NewGuid())).ShouldBeEmpty();
        (await StackIdsAsync(Guid.NewGuid())).ShouldBeEmpty();
        (await StateAsync(agent.Id, "?mode=full")).ShouldBeEmpty();
        (await StackIdsAsync(agent.Id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Inactive_agents_are_served()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);
        var revision = await _given.DeploymentObjectAsync(stack, Revision("inactive"));

        (await api.QueryAsync<string>("SELECT status FROM agents WHERE id = @a", ("a", agent.Id))).ShouldBe(["INACTIVE"]);
        (await StateAsync(agent.Id)).Ids().ShouldBe([revision.Id()]);
    }

    [Fact]
    public async Task A_marker_posted_to_a_live_stack_is_delivered_like_any_revision()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);
        await _given.DeploymentObjectAsync(stack, Revision("before"));
        var marker = await _given.DeploymentObjectAsync(stack, "", deletionMarker: true);

        (await StateAsync(agent.Id)).Ids().ShouldBe([marker.Id()]);
    }

    [Fact]
    public async Task Deleting_a_stack_delivers_its_marker_to_every_agent_that_was_associated()
    {
        var generator = await _given.GeneratorAsync();
        var outsider = await _given.GeneratorAsync();
        var label = Scenario.Unique("app");
        var targeted = await _given.AgentAsync(generatorIds: generator.Id);
        var labelled = await _given.AgentAsync(generatorIds: generator.Id);
        var annotated = await _given.AgentAsync(generatorIds: generator.Id);
        var bystander = await _given.AgentAsync(generatorIds: generator.Id);
        var unregistered = await _given.AgentAsync(generatorIds: outsider.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.StackLabelAsync(stack, label);
        await _given.StackAnnotationAsync(stack, "owner", label);
        await _given.TargetAsync(targeted.Id, stack);
        await _given.AgentLabelAsync(labelled.Id, label);
        await _given.AgentAnnotationAsync(annotated.Id, "owner", label);
        await _given.AgentLabelAsync(unregistered.Id, label);
        var revision = await _given.DeploymentObjectAsync(stack, Revision("doomed"));
        await api.AgentEventAsync(targeted.Id, revision.Id());

        (await api.WithPak(generator.Pak).DeleteAsync($"/api/v1/stacks/{stack}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var markers = await StateAsync(targeted.Id);
        markers.Count.ShouldBe(1);
        var marker = markers[0]!;
        marker.ShouldHaveExactKeys(Wire.DeploymentObjectKeys);
        marker["is_deletion_marker"]!.GetValue<bool>().ShouldBeTrue();
        marker.Str("yaml_content").ShouldBe("");
        marker.Str("yaml_checksum").ShouldBe(Convert.ToHexStringLower(MD5.HashData([])));
        marker.Id("stack_id").ShouldBe(stack);
        marker["deleted_at"].ShouldBeNull();
        marker.Sequence().ShouldBeGreaterThan(revision.Sequence());
        (await StateAsync(labelled.Id)).Ids().ShouldBe([marker.Id()]);
        (await StateAsync(annotated.Id)).Ids().ShouldBe([marker.Id()]);
        (await StateAsync(bystander.Id)).ShouldBeEmpty();
        (await StateAsync(unregistered.Id)).ShouldBeEmpty();
        (await StateAsync(labelled.Id, "?mode=full")).Ids().ShouldBe([marker.Id()]);
        foreach (var agent in new[] { targeted.Id, labelled.Id, annotated.Id })
        {
            (await StackIdsAsync(agent)).ShouldBeEmpty();
        }

        var fetched = await api.WithPak(targeted.Pak).GetAsync($"/api/v1/deployment-objects/{marker.Id()}");
        (await fetched.JsonAsync(HttpStatusCode.OK)).Id().ShouldBe(marker.Id());
    }

    [Fact]
    public async Task The_marker_leaves_incremental_state_once_reported_and_stays_in_full_mode()
    {
        var (agent, marker) = await DeletedStackMarkerAsync();

        await api.AgentEventAsync(agent, marker);

        (await StateAsync(agent)).ShouldBeEmpty();
        (await StateAsync(agent, "?mode=full")).Ids().ShouldBe([marker]);
        (await StateAsync(agent, $"?mode=full&since_sequence={(await StateAsync(agent, "?mode=full"))[0]!.Sequence() - 1}")).Ids().ShouldBe([marker]);
    }

    [Fact]
    public async Task An_acknowledged_marker_stays_in_full_mode_for_7_days_and_an_unacknowledged_one_for_the_event_retention()
    {
        var (acknowledging, acknowledged) = await DeletedStackMarkerAsync();
        var (silent, unacknowledged) = await DeletedStackMarkerAsync();
        await api.AgentEventAsync(acknowledging, acknowledged);

        await AgeDeliveriesAsync(acknowledging, days: 6);
        (await StateAsync(acknowledging, "?mode=full")).Ids().ShouldBe([acknowledged]);

        await AgeDeliveriesAsync(acknowledging, days: 8);
        await AgeDeliveriesAsync(silent, days: 8);
        (await StateAsync(acknowledging, "?mode=full")).ShouldBeEmpty();
        (await StateAsync(silent, "?mode=full")).Ids().ShouldBe([unacknowledged]);
        (await StateAsync(silent)).Ids().ShouldBe([unacknowledged]);

        await AgeDeliveriesAsync(silent, days: 31);
        (await StateAsync(silent, "?mode=full")).ShouldBeEmpty();
        (await StateAsync(silent)).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_agent_associated_only_after_the_deletion_gets_no_marker()
    {
        var generator = await _given.GeneratorAsync();
        var stack = await _given.StackAsync(generator.Id);
        var label = Scenario.Unique("late");
        await _given.StackLabelAsync(stack, label);
        await _given.DeploymentObjectAsync(stack, Revision("late"));
        (await api.Admin().DeleteAsync($"/api/v1/stacks/{stack}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var late = await _given.AgentAsync(generatorIds: generator.Id);
        await _given.AgentLabelAsync(late.Id, label);

        (await StateAsync(late.Id, "?mode=full")).ShouldBeEmpty();
        (await StackIdsAsync(late.Id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Deleting_a_stack_with_no_revisions_still_delivers_a_marker()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);

        (await api.Admin().DeleteAsync($"/api/v1/stacks/{stack}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var state = await StateAsync(agent.Id);
        state.Count.ShouldBe(1);
        state[0]!["is_deletion_marker"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Deleting_a_stack_soft_deletes_its_revisions_and_adds_one_marker()
    {
        var generator = await _given.GeneratorAsync();
        var stack = await _given.StackAsync(generator.Id);
        await _given.DeploymentObjectAsync(stack, Revision("r1"));
        await _given.DeploymentObjectAsync(stack, Revision("r2"));

        (await api.Admin().DeleteAsync($"/api/v1/stacks/{stack}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var rows = await api.QueryAsync<string>(
            "SELECT is_deletion_marker::text || ' ' || (deleted_at IS NULL)::text FROM deployment_objects WHERE stack_id = @s ORDER BY sequence_id", ("s", stack));
        rows.ShouldBe(["false false", "false false", "true true"]);
        (await api.QueryAsync<bool>("SELECT deleted_at IS NOT NULL FROM stacks WHERE id = @s", ("s", stack))).ShouldBe([true]);
    }

    [Fact]
    public async Task Deliveries_past_the_retention_are_swept_by_the_next_stack_deletion()
    {
        var (expired, _) = await DeletedStackMarkerAsync();
        var (recent, _) = await DeletedStackMarkerAsync();
        await AgeDeliveriesAsync(expired, days: 31);
        await AgeDeliveriesAsync(recent, days: 29);

        await DeletedStackMarkerAsync();

        (await api.QueryAsync<long>("SELECT count(*) FROM stack_deletion_deliveries WHERE agent_id = @a", ("a", expired))).ShouldBe([0L]);
        (await api.QueryAsync<long>("SELECT count(*) FROM stack_deletion_deliveries WHERE agent_id = @a", ("a", recent))).ShouldBe([1L]);
    }

    private async Task<(Guid Agent, Guid Marker)> DeletedStackMarkerAsync()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);
        await _given.DeploymentObjectAsync(stack, Revision("marked"));
        (await api.Admin().DeleteAsync($"/api/v1/stacks/{stack}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var state = await StateAsync(agent.Id);
        state.Count.ShouldBe(1);
        return (agent.Id, state[0]!.Id());
    }

    private Task AgeDeliveriesAsync(Guid agent, int days)
        => api.ExecuteAsync("UPDATE stack_deletion_deliveries SET created_at = now() - make_interval(days => @d) WHERE agent_id = @a", ("d", days), ("a", agent));
}
