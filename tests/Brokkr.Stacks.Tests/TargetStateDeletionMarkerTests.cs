using System.Security.Cryptography;
using static Brokkr.Stacks.Tests.Support.TargetStateRequests;

namespace Brokkr.Stacks.Tests;

/// <summary>Stack deletion markers in the target state (behaviour §4): who gets them, and how long they stay.</summary>
public sealed class TargetStateDeletionMarkerTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);

    [Fact]
    public async Task A_marker_posted_to_a_live_stack_is_delivered_like_any_revision()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);
        await _given.DeploymentObjectAsync(stack, Revision("before"));
        var marker = await _given.DeploymentObjectAsync(stack, "", deletionMarker: true);

        (await api.TargetStateAsync(agent.Id)).Ids().ShouldBe([marker.Id()]);
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

        var markers = await api.TargetStateAsync(targeted.Id);
        markers.Count.ShouldBe(1);
        var marker = markers[0]!;
        marker.ShouldHaveExactKeys(Wire.DeploymentObjectKeys);
        marker["is_deletion_marker"]!.GetValue<bool>().ShouldBeTrue();
        marker.Str("yaml_content").ShouldBe("");
        marker.Str("yaml_checksum").ShouldBe(Convert.ToHexStringLower(MD5.HashData([])));
        marker.Id("stack_id").ShouldBe(stack);
        marker["deleted_at"].ShouldBeNull();
        marker.Sequence().ShouldBeGreaterThan(revision.Sequence());
        (await api.TargetStateAsync(labelled.Id)).Ids().ShouldBe([marker.Id()]);
        (await api.TargetStateAsync(annotated.Id)).Ids().ShouldBe([marker.Id()]);
        (await api.TargetStateAsync(bystander.Id)).ShouldBeEmpty();
        (await api.TargetStateAsync(unregistered.Id)).ShouldBeEmpty();
        (await api.TargetStateAsync(labelled.Id, "?mode=full")).Ids().ShouldBe([marker.Id()]);
        foreach (var agent in new[] { targeted.Id, labelled.Id, annotated.Id })
        {
            (await api.AgentStackIdsAsync(agent)).ShouldBeEmpty();
        }

        var fetched = await api.WithPak(targeted.Pak).GetAsync($"/api/v1/deployment-objects/{marker.Id()}");
        (await fetched.JsonAsync(HttpStatusCode.OK)).Id().ShouldBe(marker.Id());
    }

    [Fact]
    public async Task The_marker_leaves_incremental_state_once_reported_and_stays_in_full_mode()
    {
        var (agent, marker) = await DeletedStackMarkerAsync();

        await api.AgentEventAsync(agent, marker);

        (await api.TargetStateAsync(agent)).ShouldBeEmpty();
        (await api.TargetStateAsync(agent, "?mode=full")).Ids().ShouldBe([marker]);
        (await api.TargetStateAsync(agent, $"?mode=full&since_sequence={(await api.TargetStateAsync(agent, "?mode=full"))[0]!.Sequence() - 1}")).Ids().ShouldBe([marker]);
    }

    [Fact]
    public async Task An_acknowledged_marker_stays_in_full_mode_for_7_days_and_an_unacknowledged_one_for_the_event_retention()
    {
        var (acknowledging, acknowledged) = await DeletedStackMarkerAsync();
        var (silent, unacknowledged) = await DeletedStackMarkerAsync();
        await api.AgentEventAsync(acknowledging, acknowledged);

        await AgeDeliveriesAsync(acknowledging, days: 6);
        (await api.TargetStateAsync(acknowledging, "?mode=full")).Ids().ShouldBe([acknowledged]);

        await AgeDeliveriesAsync(acknowledging, days: 8);
        await AgeDeliveriesAsync(silent, days: 8);
        (await api.TargetStateAsync(acknowledging, "?mode=full")).ShouldBeEmpty();
        (await api.TargetStateAsync(silent, "?mode=full")).Ids().ShouldBe([unacknowledged]);
        (await api.TargetStateAsync(silent)).Ids().ShouldBe([unacknowledged]);

        await AgeDeliveriesAsync(silent, days: 31);
        (await api.TargetStateAsync(silent, "?mode=full")).ShouldBeEmpty();
        (await api.TargetStateAsync(silent)).ShouldBeEmpty();
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

        (await api.TargetStateAsync(late.Id, "?mode=full")).ShouldBeEmpty();
        (await api.AgentStackIdsAsync(late.Id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Deleting_a_stack_with_no_revisions_still_delivers_a_marker()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);

        (await api.Admin().DeleteAsync($"/api/v1/stacks/{stack}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var state = await api.TargetStateAsync(agent.Id);
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
        var state = await api.TargetStateAsync(agent.Id);
        state.Count.ShouldBe(1);
        return (agent.Id, state[0]!.Id());
    }

    private Task AgeDeliveriesAsync(Guid agent, int days)
        => api.ExecuteAsync("UPDATE stack_deletion_deliveries SET created_at = now() - make_interval(days => @d) WHERE agent_id = @a", ("d", days), ("a", agent));
}
