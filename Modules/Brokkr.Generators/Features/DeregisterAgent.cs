using Brokkr.Contracts.Realtime;
using Brokkr.Contracts.Generators;
using Brokkr.Generators.Api;
using Brokkr.Generators.Data;
using Brokkr.Generators.Domain;
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

namespace Brokkr.Generators.Features;

/// <summary>
/// <c>DELETE /api/v1/generators/{id}/register</c>: an agent withdraws its consent. Its explicit targets
/// to the generator's stacks go (Agents module, through <see cref="AgentDeregistered"/>), then the
/// registration. An agent cannot leave the system generator on its own; admin may take it out.
/// </summary>
public static class DeregisterAgent
{
    public sealed record Command(Caller Caller, Guid GeneratorId, AgentRegistrationBody Body) : ICommand;

    internal sealed class Handler(BrokkrDb db, IPublisher publisher) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var agentId = RegisterAgent.ResolveAgent(command.Caller, command.Body.AgentId);
            var generator = await db.GetTable<GeneratorRow>()
                .Where(g => g.Id == command.GeneratorId && g.DeletedAt == null)
                .Select(g => new { g.Id, g.IsSystem })
                .FirstOrDefaultAsync(cancellationToken)
                ?? throw GeneratorRules.NotFound();
            if (generator.IsSystem && !command.Caller.IsAdmin)
            {
                throw ApiException.Forbidden("system_generator_not_a_tenant", "An agent cannot leave the system generator");
            }

            await publisher.Publish(new AgentDeregistered(agentId, generator.Id), cancellationToken);
            await db.GetTable<RegistrationRow>()
                .Where(r => r.AgentId == agentId && r.GeneratorId == generator.Id)
                .DeleteAsync(cancellationToken);
            await publisher.Publish(GeneratorAudit.Entry(command.Caller, "agent.deregistered", "agent", agentId,
                new Dictionary<string, object?> { ["generator_id"] = generator.Id }), cancellationToken);
            // The reference's nudge: nil ids tell the agent to re-read its target state now.
            await publisher.Publish(new PushToAgents([agentId], WireMessageTypes.TargetChanged,
                new Dictionary<string, object?> { ["id"] = Guid.Empty, ["agent_id"] = Guid.Empty, ["stack_id"] = Guid.Empty }), cancellationToken);
            return Unit.Value;
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapDelete("/api/v1/generators/{id}/register", async (Guid id, Caller caller, Json<AgentRegistrationBody> body, ISender sender, CancellationToken ct) =>
                {
                    await sender.Send(new Command(caller, id, body.Value), ct);
                    return TypedResults.NoContent();
                })
                .Accepts<AgentRegistrationBody>("application/json")
                .WithTags("generators")
                .WithName("deregister_agent")
                .WithSummary("Deregister an agent from a generator")
                .WithDescription("A JSON body is required: `{}` for an agent deregistering itself; admin must give `agent_id` (400 `missing_agent_id`); generator PAKs are refused (403 `forbidden`). "
                    + "Then 404 `generator_not_found`. Removes the agent's explicit targets to this generator's stacks and the registration; 204 even when the agent was not registered. "
                    + "An agent cannot leave the system generator (403 `system_generator_not_a_tenant`); admin can.");
    }
}
