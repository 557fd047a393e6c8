using Brokkr.Contracts.Stacks;

namespace Brokkr.Agent.Domain;

/// <summary>What to do for one stack in this pass.</summary>
internal abstract record StackAction(Guid StackId)
{
    /// <summary>Apply this revision (new, or a failed one whose retry is due).</summary>
    public sealed record Apply(DeploymentObject Revision) : StackAction(Revision.StackId);

    /// <summary>
    /// Remove everything of the stack this agent owns: the stack was deleted (<see cref="Marker"/>
    /// set), or it is no longer associated with the agent (absent from a full target state).
    /// </summary>
    public sealed record DeleteStack(Guid Stack, DeploymentObject? Marker) : StackAction(Stack);
}

/// <summary>
/// Pure reconcile planning over the full target state (ADR 0025). A stack absent from the full
/// target state is no longer associated and is pruned; nothing is pruned on a failed poll, and an
/// incremental poll is never used to decide what is absent (reference defect §14.3).
/// </summary>
internal static class DeploymentPlanner
{
    public static readonly TimeSpan RetryBase = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan RetryCap = TimeSpan.FromMinutes(5);

    public static IReadOnlyList<StackAction> Plan(IReadOnlyList<DeploymentObject> fullTargetState, IReadOnlyDictionary<Guid, AppliedStack> applied, DateTimeOffset now)
    {
        var newest = fullTargetState
            .GroupBy(o => o.StackId)
            .Select(g => g.MaxBy(o => o.SequenceId)!)
            .OrderBy(o => o.SequenceId)
            .ToList();

        var actions = new List<StackAction>();
        foreach (var revision in newest)
        {
            applied.TryGetValue(revision.StackId, out var last);
            var sameRevision = last is not null && last.DeploymentObjectId == revision.Id;
            if (sameRevision && last!.Outcome != StackOutcome.Failed)
            {
                continue;
            }

            if (sameRevision && last!.RetryAt is { } retryAt && retryAt > now)
            {
                continue;
            }

            actions.Add(revision.IsDeletionMarker ? new StackAction.DeleteStack(revision.StackId, revision) : new StackAction.Apply(revision));
        }

        var present = newest.Select(o => o.StackId).ToHashSet();
        foreach (var gone in applied.Values.Where(a => !present.Contains(a.StackId) && a.Outcome != StackOutcome.Deleted && !(a.RetryAt > now)).OrderBy(a => a.SequenceId))
        {
            actions.Add(new StackAction.DeleteStack(gone.StackId, null));
        }

        return actions;
    }

    /// <summary>When a revision that failed <paramref name="attempts"/> times is tried again: 10 s (or <paramref name="retryBase"/>) doubling, at most 5 min.</summary>
    public static DateTimeOffset NextRetry(int attempts, DateTimeOffset now, TimeSpan? retryBase = null)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 16);
        var delay = TimeSpan.FromTicks(Math.Min((retryBase ?? RetryBase).Ticks * (1L << exponent), RetryCap.Ticks));
        return now + delay;
    }
}
