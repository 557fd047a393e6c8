namespace Brokkr.Agent.Domain;

internal enum StackOutcome
{
    /// <summary>The revision is applied and its stale objects pruned.</summary>
    Applied,

    /// <summary>The revision failed; it is tried again at <see cref="AppliedStack.RetryAt"/>.</summary>
    Failed,

    /// <summary>The stack's deletion marker was carried out: nothing of it is left.</summary>
    Deleted,
}

/// <summary>
/// What the agent last did for one stack: the revision, its outcome and the objects it wrote. The
/// applied set is these records, kept across restarts (ADR 0025).
/// </summary>
internal sealed record AppliedStack(
    Guid StackId,
    Guid DeploymentObjectId,
    long SequenceId,
    string Checksum,
    StackOutcome Outcome,
    int Attempts,
    DateTimeOffset? RetryAt,
    IReadOnlyList<ObjectRef> Objects,
    string? Error = null);
