using Mediator;

namespace Brokkr.Contracts.Stacks;

/// <summary>
/// A new revision of a stack, created by the Stacks module for another module (the Templates module's
/// instantiation) in the sender's transaction. The sender has already checked that the stack exists
/// and that its caller may write to it; the content must be YAML with at least one non-null document,
/// or empty for a deletion marker (else 400 <c>invalid_deployment_object</c>).
/// </summary>
public sealed record CreateDeploymentObject(Guid StackId, string YamlContent, bool IsDeletionMarker) : ICommand<DeploymentObject>;
