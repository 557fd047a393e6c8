using Brokkr.Agents.Api;
using Brokkr.Agents.Data;
using Brokkr.Contracts.Realtime;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Json;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Agents.Features;

/// <summary>
/// <c>POST /api/v1/agents/{id}/targets</c>: an explicit target. Admin or the stack's generator, and
/// only for an agent registered with that generator (admin cannot bypass the consent gate).
/// </summary>
public static class AddAgentTarget
{
    public sealed record NewAgentTarget(Guid AgentId, Guid StackId);

    public sealed record Command(Caller Caller, Guid AgentId, NewAgentTarget Body) : ICommand<AgentTarget>;

    internal sealed class Handler(BrokkrDb db, IPublisher publisher) : ICommandHandler<Command, AgentTarget>
    {
        public async ValueTask<AgentTarget> Handle(Command command, CancellationToken cancellationToken)
        {
            await TargetGate.CheckAsync(db, command.Caller, command.AgentId, command.Body.StackId, cancellationToken);
            if (command.Body.AgentId != command.AgentId)
            {
                throw ApiException.BadRequest("agent_id_mismatch", "agent_id in the body does not match the path");
            }

            var row = new AgentTargetRow { Id = Guid.CreateVersion7(), AgentId = command.AgentId, StackId = command.Body.StackId };
            await db.InsertAsync(row, token: cancellationToken);
            var target = new AgentTarget(row.Id, row.AgentId, row.StackId);
            await publisher.Publish(new PushToAgents([row.AgentId], WireMessageTypes.TargetChanged, target), cancellationToken);
            return target;
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/agents/{id}/targets", async (Guid id, Caller caller, Json<NewAgentTarget> body, ISender sender, CancellationToken ct)
                    => TypedResults.Created((string?)null, await sender.Send(new Command(caller, id, body.Value), ct)))
                .Accepts<NewAgentTarget>("application/json")
                .WithTags("agent-targets")
                .WithName("add_target")
                .WithSummary("Target a stack at an agent")
                .WithDescription("Admin or the generator that owns the stack. The agent must be registered with the stack's generator (403 `agent_not_registered`).");
    }
}

/// <summary>Who may create or remove an explicit target, in the reference's order of checks.</summary>
internal static class TargetGate
{
    public static async Task CheckAsync(BrokkrDb db, Caller caller, Guid agentId, Guid stackId, CancellationToken cancellationToken)
    {
        var stack = await db.GetTable<StackView>().FirstOrDefaultAsync(s => s.Id == stackId && s.DeletedAt == null, cancellationToken)
            ?? throw ApiException.NotFound("stack_not_found", "Stack not found");
        if (caller.IsAgent)
        {
            throw ApiException.Forbidden("target_create_denied", "Agents cannot manage targets");
        }

        if (caller.IsGenerator && caller.Id != stack.GeneratorId)
        {
            throw ApiException.Forbidden("target_generator_mismatch", "The stack belongs to another generator");
        }

        var registered = await db.GetTable<RegistrationView>()
            .AnyAsync(r => r.AgentId == agentId && r.GeneratorId == stack.GeneratorId, cancellationToken);
        if (!registered)
        {
            throw ApiException.Forbidden("agent_not_registered", "The agent is not registered with the stack's generator");
        }
    }
}
