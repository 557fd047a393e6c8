using Brokkr.Agent.Domain;
using Brokkr.Contracts.Stacks;

namespace Brokkr.Agent.Tests.Domain;

public sealed class DeploymentPlannerTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static DeploymentObject Marker(Guid stack, long sequence) => ApplyPlannerTests.Revision(string.Empty, stack, sequence) with { IsDeletionMarker = true };

    private static AppliedStack Done(DeploymentObject revision, StackOutcome outcome = StackOutcome.Applied, DateTimeOffset? retryAt = null)
        => new(revision.StackId, revision.Id, revision.SequenceId, revision.YamlChecksum, outcome, outcome == StackOutcome.Failed ? 1 : 0, retryAt, []);

    private static Dictionary<Guid, AppliedStack> Applied(params AppliedStack[] stacks) => stacks.ToDictionary(s => s.StackId);

    [Fact]
    public void A_new_stack_is_applied()
    {
        var revision = ApplyPlannerTests.Revision("x", sequence: 5);
        DeploymentPlanner.Plan([revision], Applied(), Now).ShouldBe([new StackAction.Apply(revision)]);
    }

    [Fact]
    public void An_applied_revision_is_left_alone_poll_after_poll()
    {
        var revision = ApplyPlannerTests.Revision("x", sequence: 5);
        var applied = Applied(Done(revision));
        for (var poll = 0; poll < 5; poll++)
        {
            DeploymentPlanner.Plan([revision], applied, Now.AddSeconds(10 * poll)).ShouldBeEmpty();
        }
    }

    [Fact]
    public void Only_the_newest_revision_of_a_stack_counts()
    {
        var stack = Guid.NewGuid();
        var old = ApplyPlannerTests.Revision("a", stack, 5);
        var newer = ApplyPlannerTests.Revision("b", stack, 9);
        DeploymentPlanner.Plan([newer, old], Applied(Done(old)), Now).ShouldBe([new StackAction.Apply(newer)]);
    }

    [Fact]
    public void A_failed_revision_is_retried_once_its_backoff_has_passed()
    {
        var revision = ApplyPlannerTests.Revision("x", sequence: 5);
        var failed = Applied(Done(revision, StackOutcome.Failed, Now.AddSeconds(10)));

        DeploymentPlanner.Plan([revision], failed, Now).ShouldBeEmpty();
        DeploymentPlanner.Plan([revision], failed, Now.AddSeconds(10)).ShouldBe([new StackAction.Apply(revision)]);
    }

    [Fact]
    public void A_deletion_marker_deletes_the_stack_once()
    {
        var stack = Guid.NewGuid();
        var revision = ApplyPlannerTests.Revision("x", stack, 5);
        var marker = Marker(stack, 6);

        DeploymentPlanner.Plan([marker], Applied(Done(revision)), Now).ShouldBe([new StackAction.DeleteStack(stack, marker)]);
        DeploymentPlanner.Plan([marker], Applied(Done(marker, StackOutcome.Deleted)), Now).ShouldBeEmpty();
    }

    [Fact]
    public void A_deletion_marker_for_a_stack_never_applied_here_still_deletes()
    {
        var marker = Marker(Guid.NewGuid(), 6);
        DeploymentPlanner.Plan([marker], Applied(), Now).ShouldBe([new StackAction.DeleteStack(marker.StackId, marker)]);
    }

    [Fact]
    public void A_stack_missing_from_the_full_target_state_is_no_longer_associated_and_is_deleted()
    {
        var kept = ApplyPlannerTests.Revision("a", sequence: 5);
        var dropped = ApplyPlannerTests.Revision("b", sequence: 6);
        var deleted = Marker(Guid.NewGuid(), 7);

        DeploymentPlanner.Plan([kept], Applied(Done(kept), Done(dropped), Done(deleted, StackOutcome.Deleted)), Now)
            .ShouldBe([new StackAction.DeleteStack(dropped.StackId, null)]);
    }

    [Fact]
    public void Retry_backoff_doubles_from_ten_seconds_up_to_five_minutes()
    {
        DeploymentPlanner.NextRetry(1, Now).ShouldBe(Now.AddSeconds(10));
        DeploymentPlanner.NextRetry(2, Now).ShouldBe(Now.AddSeconds(20));
        DeploymentPlanner.NextRetry(4, Now).ShouldBe(Now.AddSeconds(80));
        DeploymentPlanner.NextRetry(10, Now).ShouldBe(Now.AddMinutes(5));
        DeploymentPlanner.NextRetry(100, Now).ShouldBe(Now.AddMinutes(5));
    }
}
