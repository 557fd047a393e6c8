using Brokkr.Agents.Data;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Carter;
using LinqToDB;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Agents.Features;

/// <summary>
/// <c>DELETE /api/v1/agents/{id}/targets/{stack_id}</c>: the same gate as creating the target,
/// registration included, then 404 <c>agent_target_not_found</c>.
/// </summary>
public static class RemoveAgentTarget
{
    public sealed record Command(Caller Caller, Guid AgentId, Guid StackId) : ICommand;

    internal sealed class Handler(BrokkrDb db) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            await TargetGate.CheckAsync(db, command.Caller, command.AgentId, command.StackId, cancellationToken);
            var deleted = await db.GetTable<AgentTargetRow>()
                .Where(t => t.AgentId == command.AgentId && t.StackId == command.StackId)
                .DeleteAsync(cancellationToken);
            return deleted > 0 ? Unit.Value : throw ApiException.NotFound("agent_target_not_found", "Agent target not found");
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapDelete("/api/v1/agents/{id}/targets/{stack_id}", async (Guid id, [FromRoute(Name = "stack_id")] Guid stackId, Caller caller, ISender sender, CancellationToken ct) =>
                {
                    await sender.Send(new Command(caller, id, stackId), ct);
                    return TypedResults.NoContent();
                })
                .WithTags("agent-targets")
                .WithName("remove_target")
                .WithSummary("Remove an explicit target")
                .WithDescription("Admin or the generator that owns the stack, and only while the agent is registered with that generator: 404 `stack_not_found`, 403 `target_generator_mismatch` / `target_create_denied` / `agent_not_registered`, then 404 `agent_target_not_found`.");
    }
}
