using Brokkr.Agents.Data;
using Brokkr.Contracts.Agents;
using Brokkr.Contracts.Audit;
using Brokkr.Contracts.Auth;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Carter;
using LinqToDB;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Agents.Features;

/// <summary>
/// <c>POST /api/v1/agents/{id}/rotate-pak</c> (and the CLI's <c>rotate agent</c>): a new PAK, shown
/// once; the old one stops working at once, in every broker.
/// </summary>
public static class RotateAgentPak
{
    public sealed record Command(Caller Caller, Guid AgentId) : ICommand<Response>;

    /// <summary>200 <c>{agent, pak}</c> (the generator rotation answers 201; the reference differs too).</summary>
    public sealed record Response(Agent Agent, string Pak);

    internal sealed class Handler(BrokkrDb db, IPublisher publisher) : ICommandHandler<Command, Response>
    {
        public async ValueTask<Response> Handle(Command command, CancellationToken cancellationToken)
        {
            var caller = command.Caller;
            caller.RequireAdminOrAgent(command.AgentId);
            var pak = Pak.Generate();
            var updated = await db.GetTable<AgentRow>()
                .Where(a => a.Id == command.AgentId && a.DeletedAt == null)
                .Set(a => a.PakHash, pak.Hash)
                .UpdateAsync(cancellationToken);
            if (updated == 0)
            {
                throw ApiException.NotFound("agent_not_found", "Agent not found");
            }

            var row = await AgentLookup.LiveAsync(db, command.AgentId, cancellationToken);

            await publisher.Publish(new PakChanged(PakOwnerKind.Agent, row.Id), cancellationToken);
            await publisher.Publish(new AuditEntry(
                caller.ActorType, caller.ActorId,
                "pak.rotated", "agent", row.Id,
                new Dictionary<string, object?> { ["agent_name"] = row.Name }), cancellationToken);
            return new Response(row.ToContract(), pak.Value);
        }
    }

    /// <summary>The host command <c>rotate agent &lt;id&gt;</c>: the same use case, run as admin.</summary>
    internal sealed class CliHandler(ISender sender) : ICommandHandler<Contracts.Cli.RotateAgentPak, string>
    {
        public async ValueTask<string> Handle(Contracts.Cli.RotateAgentPak command, CancellationToken cancellationToken)
            => (await sender.Send(new Command(Caller.Admin, command.AgentId), cancellationToken)).Pak;
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/agents/{id}/rotate-pak", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Command(caller, id), ct)))
                .WithTags("agents")
                .WithName("rotate_agent_pak")
                .WithSummary("Rotate an agent's PAK")
                .WithDescription("Admin or the agent itself (403 `agent_pak_mismatch`), then 404 `agent_not_found`. Returns 200 `{agent, pak}`; the new PAK is shown only here and the old one stops working at once. The agent must be reconfigured with the new PAK.");
    }
}
