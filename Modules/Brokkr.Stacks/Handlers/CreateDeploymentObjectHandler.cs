using Brokkr.Contracts.Stacks;
using Brokkr.Shared.Data;
using Mediator;
using static Brokkr.Stacks.Features.CreateDeploymentObject;

namespace Brokkr.Stacks.Handlers;

/// <summary>
/// <see cref="Contracts.Stacks.CreateDeploymentObject"/>: a revision created for another module (template
/// instantiation) with the same checks and insert as <c>POST /stacks/{id}/deployment-objects</c>, in the
/// sender's transaction. The sender has checked the stack and its caller.
/// </summary>
internal sealed class CreateDeploymentObjectHandler(BrokkrDb db, IPublisher publisher) : ICommandHandler<Contracts.Stacks.CreateDeploymentObject, DeploymentObject>
{
    public async ValueTask<DeploymentObject> Handle(Contracts.Stacks.CreateDeploymentObject command, CancellationToken cancellationToken)
        => await Handler.CreateAsync(db, publisher, command.StackId, new NewDeploymentObject(command.YamlContent, command.IsDeletionMarker), cancellationToken);
}
