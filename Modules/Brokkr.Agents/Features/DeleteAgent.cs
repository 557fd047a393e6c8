using Brokkr.Contracts.Audit;
using Brokkr.Contracts.Auth;
using Brokkr.Contracts.Webhooks;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Carter;
using LinqToDB.Data;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Agents.Features;

/// <summary>
/// <c>DELETE /api/v1/agents/{id}</c>: admin only; soft-deletes the agent and its events, and its PAK
/// stops working at once. 204 also for an unknown or already deleted id, as in the reference.
/// </summary>
public static class DeleteAgent
{
    public sealed record Command(Caller Caller, Guid AgentId) : ICommand;

    internal sealed class Handler(BrokkrDb db, IPublisher publisher) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            command.Caller.RequireAdmin();
            var agent = new DataParameter("agent", command.AgentId);
            var deletedAt = await db.ExecuteAsync<DateTime?>(
                "UPDATE agents SET deleted_at = now() WHERE id = @agent AND deleted_at IS NULL RETURNING deleted_at", cancellationToken, agent);
            if (deletedAt is null)
            {
                return Unit.Value;
            }

            await db.ExecuteAsync(
                "UPDATE agent_events SET deleted_at = now() WHERE agent_id = @agent AND deleted_at IS NULL", cancellationToken, agent);
            await publisher.Publish(new PakChanged(PakOwnerKind.Agent, command.AgentId), cancellationToken);
            await publisher.Publish(new AuditEntry(command.Caller.ActorType, command.Caller.ActorId, "agent.deleted", "agent", command.AgentId), cancellationToken);
            await publisher.Publish(new WebhookEvent(WebhookEventTypes.AgentDeregistered, new Dictionary<string, object?>
            {
                ["agent_id"] = command.AgentId,
                ["deleted_at"] = DateTime.SpecifyKind(deletedAt.Value, DateTimeKind.Utc),
            }), cancellationToken);
            return Unit.Value;
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapDelete("/api/v1/agents/{id}", async (Guid id, Caller caller, ISender sender, CancellationToken ct) =>
                {
                    caller.RequireAdmin();
                    await sender.Send(new Command(caller, id), ct);
                    return TypedResults.NoContent();
                })
                .WithTags("agents")
                .WithName("delete_agent")
                .WithSummary("Delete an agent")
                .WithDescription("Admin only. Soft-deletes the agent and its events; its PAK stops working at once. 204 also for an unknown id.");
    }
}
