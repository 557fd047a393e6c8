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
using LinqToDB.Data;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Generators.Features;

/// <summary>
/// <c>POST /api/v1/generators/{id}/register</c>: an agent consents to a generator's stacks (ADR-0009
/// of the reference). An agent registers itself; admin names the agent; generators cannot.
/// </summary>
public static class RegisterAgent
{
    public sealed record Command(Caller Caller, Guid GeneratorId, AgentRegistrationBody Body) : ICommand<AgentGeneratorRegistration>;

    internal sealed class Handler(BrokkrDb db, IPublisher publisher) : ICommandHandler<Command, AgentGeneratorRegistration>
    {
        public async ValueTask<AgentGeneratorRegistration> Handle(Command command, CancellationToken cancellationToken)
        {
            var agentId = ResolveAgent(command.Caller, command.Body.AgentId);
            var generatorExists = await db.GetTable<GeneratorRow>()
                .AnyAsync(g => g.Id == command.GeneratorId && g.DeletedAt == null, cancellationToken);
            if (!generatorExists)
            {
                throw ApiException.NotFound("generator_not_found", "Generator not found");
            }

            if (!await db.GetTable<AgentView>().AnyAsync(a => a.Id == agentId && a.DeletedAt == null, cancellationToken))
            {
                throw ApiException.NotFound("agent_not_found", "Agent not found");
            }

            var inserted = await db.ExecuteAsync(
                "INSERT INTO agent_generator_registrations (id, agent_id, generator_id) VALUES (@id, @agent, @generator) ON CONFLICT (agent_id, generator_id) DO NOTHING",
                cancellationToken,
                new DataParameter("id", Guid.CreateVersion7()),
                new DataParameter("agent", agentId),
                new DataParameter("generator", command.GeneratorId));
            if (inserted == 0)
            {
                throw ApiException.Conflict("already_registered", "Agent is already registered with this generator");
            }

            var row = await db.GetTable<RegistrationRow>().FirstAsync(r => r.AgentId == agentId && r.GeneratorId == command.GeneratorId, cancellationToken);
            await publisher.Publish(GeneratorAudit.Entry(command.Caller, "agent.registered", "agent", agentId,
                new Dictionary<string, object?> { ["generator_id"] = command.GeneratorId }), cancellationToken);
            return row.ToContract();
        }
    }

    /// <summary>An agent acts for itself (a body id is ignored); admin must name the agent; generators cannot.</summary>
    internal static Guid ResolveAgent(Caller caller, Guid? bodyAgentId) => caller.Kind switch
    {
        CallerKind.Agent => caller.Id!.Value,
        CallerKind.Admin => bodyAgentId ?? throw ApiException.BadRequest("missing_agent_id", "agent_id is required when an admin acts for an agent"),
        _ => throw ApiException.Forbidden("forbidden", "Generators cannot register or deregister agents"),
    };

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/generators/{id}/register", async (Guid id, Caller caller, Json<AgentRegistrationBody> body, ISender sender, CancellationToken ct)
                    => TypedResults.Created((string?)null, await sender.Send(new Command(caller, id, body.Value), ct)))
                .Accepts<AgentRegistrationBody>("application/json")
                .WithTags("generators")
                .WithName("register_agent")
                .WithSummary("Register an agent with a generator")
                .WithDescription("An agent PAK registers itself (`{}` is enough); admin must give `agent_id` (400 `missing_agent_id`); generator PAKs are refused (403 `forbidden`). "
                    + "404 `generator_not_found`, 404 `agent_not_found`, 409 `already_registered`. Label and annotation matches from this generator's stacks reach the agent only while it is registered.");
    }
}
