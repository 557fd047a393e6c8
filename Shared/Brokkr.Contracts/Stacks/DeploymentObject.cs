namespace Brokkr.Contracts.Stacks;

/// <summary>
/// The reference's <c>DeploymentObject</c>: one immutable revision of a stack. <c>sequence_id</c> is
/// global and increasing; a deletion marker asks the agent to prune everything of the stack.
/// </summary>
public sealed record DeploymentObject(
    Guid Id,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? DeletedAt,
    long SequenceId,
    Guid StackId,
    string YamlContent,
    string YamlChecksum,
    DateTime SubmittedAt,
    bool IsDeletionMarker);
