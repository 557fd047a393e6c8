using Brokkr.Contracts.Audit;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Configuration;
using Brokkr.Shared.Data;
using Brokkr.Stacks.Domain;
using Carter;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Stacks.Features;

/// <summary>
/// <c>DELETE /api/v1/stacks/{id}</c>: a soft delete that also delivers the stack's deletion marker to
/// every agent associated with it at this moment (see <see cref="StackDeletion"/>).
/// </summary>
public static class DeleteStack
{
    public sealed record Command(Caller Caller, Guid StackId) : ICommand;

    internal sealed class Handler(BrokkrDb db, IPublisher publisher, BrokkrSettings settings) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var stack = await StackAccess.OwnedAsync(db, command.Caller, command.StackId, cancellationToken);
            if (!await StackDeletion.DeleteAsync(db, stack.Id, DateTime.UtcNow, settings.Broker.AgentEventsRetentionDays, cancellationToken))
            {
                throw StackAccess.NotFound();
            }

            await publisher.Publish(new AuditEntry(command.Caller.ActorType, command.Caller.ActorId, "stack.deleted", "stack", stack.Id), cancellationToken);
            await StackEvents.StackDeletedAsync(db, publisher, stack.Id, cancellationToken);
            return Unit.Value;
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapDelete("/api/v1/stacks/{id}", async (Guid id, Caller caller, ISender sender, CancellationToken ct) =>
                {
                    await sender.Send(new Command(caller, id), ct);
                    return TypedResults.NoContent();
                })
                .WithTags("stacks")
                .WithName("delete_stack")
                .WithSummary("Delete a stack")
                .WithDescription("Admin or the owning generator. Soft-deletes the stack and its deployment objects and adds a deletion marker (`is_deletion_marker: true`, empty YAML, a new `sequence_id`), which the target state of every agent then associated with the stack carries until the agent reports an event for it (and for at least 7 days in `mode=full`). The stack leaves every list.");
    }
}
