using Brokkr.Agent.Domain;
using Brokkr.Agent.Kubernetes;
using Brokkr.Contracts.Stacks;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.Apply;

/// <summary>The result of one stack action: the new applied-set record and the event to report (null: report nothing).</summary>
internal sealed record ReconcileResult(AppliedStack? State, string? EventStatus, string? Message);

/// <summary>
/// Carries out one stack action: parse, plan, apply and prune a revision, or delete a whole stack.
/// Failures become a FAILURE result with the reason and a retry time; nothing throws but
/// cancellation.
/// </summary>
internal sealed class Reconciler(Applier applier, Pruner pruner, TimeProvider time, ILogger<Reconciler> logger, TimeSpan? retryBase = null)
{
    public const string Success = "SUCCESS";
    public const string Failure = "FAILURE";

    public async Task<ReconcileResult> ApplyAsync(DeploymentObject revision, Guid agentId, AppliedStack? previous, CancellationToken cancellationToken)
    {
        var attempts = previous is not null && previous.DeploymentObjectId == revision.Id && previous.Outcome == StackOutcome.Failed ? previous.Attempts + 1 : 1;
        var known = previous?.Objects ?? [];
        try
        {
            var plan = ApplyPlanner.Plan(revision, agentId, ManifestParser.Parse(revision.YamlContent));
            var applied = await applier.ApplyAsync(revision, agentId, plan, cancellationToken);
            var pruned = await pruner.PruneAsync(revision.StackId, agentId, revision.YamlChecksum, known.Concat(applied.Objects).Distinct().ToList(), cancellationToken);
            var objects = applied.Objects.Concat(pruned.Failed).Distinct().ToList();
            if (pruned.Errors.Count > 0)
            {
                throw new ApplyException("applied, but pruning failed: " + string.Join("; ", pruned.Errors));
            }

            logger.LogInformation(
                "Applied revision {DeploymentObjectId} (sequence {Sequence}) of stack {StackId}: {Objects} objects, {Writes} written, {Pruned} pruned",
                revision.Id, revision.SequenceId, revision.StackId, applied.Objects.Count, applied.Writes, pruned.Deleted.Count);
            return new ReconcileResult(
                new AppliedStack(revision.StackId, revision.Id, revision.SequenceId, revision.YamlChecksum, StackOutcome.Applied, 0, null, objects),
                Success,
                null);
        }
        catch (Exception e) when (e is ManifestException or ApplyException or KubeApiException)
        {
            var message = e is ManifestException ? $"invalid deployment object: {e.Message}" : e.Message;
            var retryAt = DeploymentPlanner.NextRetry(attempts, time.GetUtcNow(), retryBase);
            logger.LogError("Revision {DeploymentObjectId} of stack {StackId} failed (attempt {Attempt}, next try {RetryAt:O}): {Error}",
                revision.Id, revision.StackId, attempts, retryAt, message);
            return new ReconcileResult(
                new AppliedStack(revision.StackId, revision.Id, revision.SequenceId, revision.YamlChecksum, StackOutcome.Failed, attempts, retryAt, known, message),
                Failure,
                message);
        }
    }

    /// <summary>
    /// Removes everything of the stack this agent owns. With a deletion marker the stack's record
    /// stays (so the marker is handled once) and the marker is acknowledged; without one (the stack
    /// is no longer associated) the record goes and nothing is reported.
    /// </summary>
    public async Task<ReconcileResult> DeleteStackAsync(Guid stackId, DeploymentObject? marker, Guid agentId, AppliedStack? previous, CancellationToken cancellationToken)
    {
        var known = previous?.Objects ?? [];
        try
        {
            var pruned = await pruner.PruneAsync(stackId, agentId, currentChecksum: null, known, cancellationToken);
            if (pruned.Errors.Count > 0)
            {
                throw new ApplyException("could not delete every object of the stack: " + string.Join("; ", pruned.Errors));
            }

            logger.LogInformation("Deleted stack {StackId} ({Reason}): {Pruned} objects removed",
                stackId, marker is null ? "no longer associated" : "deletion marker", pruned.Deleted.Count);
            return marker is null
                ? new ReconcileResult(null, null, null)
                : new ReconcileResult(new AppliedStack(stackId, marker.Id, marker.SequenceId, marker.YamlChecksum, StackOutcome.Deleted, 0, null, []), Success, null);
        }
        catch (Exception e) when (e is ApplyException or KubeApiException)
        {
            var attempts = previous is not null && marker is not null && previous.DeploymentObjectId == marker.Id ? previous.Attempts + 1 : 1;
            var retryAt = DeploymentPlanner.NextRetry(attempts, time.GetUtcNow(), retryBase);
            logger.LogError("Deleting stack {StackId} failed (attempt {Attempt}): {Error}", stackId, attempts, e.Message);
            var state = marker is null
                ? previous! with { Attempts = attempts, RetryAt = retryAt, Error = e.Message }
                : new AppliedStack(stackId, marker.Id, marker.SequenceId, marker.YamlChecksum, StackOutcome.Failed, attempts, retryAt, known, e.Message);
            return new ReconcileResult(state, marker is null ? null : Failure, e.Message);
        }
    }
}
