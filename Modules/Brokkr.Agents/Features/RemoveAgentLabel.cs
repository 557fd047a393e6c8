using Brokkr.Agents.Data;
using Brokkr.Agents.Routing;
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

/// <summary><c>DELETE /api/v1/agents/{id}/labels/{label}</c>: admin only.</summary>
public static class RemoveAgentLabel
{
    public sealed record Command(Caller Caller, Guid AgentId, string Label) : ICommand;

    internal sealed class Handler(BrokkrDb db) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            command.Caller.RequireAdmin();
            var deleted = await db.GetTable<AgentLabelRow>()
                .Where(l => l.AgentId == command.AgentId && l.Label == command.Label)
                .DeleteAsync(cancellationToken);
            return deleted > 0 ? Unit.Value : throw ApiException.NotFound("agent_label_not_found", "Agent label not found");
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapDelete("/api/v1/agents/{id}/labels/{label}", async (Guid id, string label, Caller caller, HttpContext context, ISender sender, CancellationToken ct) =>
                {
                    caller.RequireAdmin();
                    await sender.Send(new Command(caller, id, PathSegment.LastDecoded(context, label)), ct);
                    return TypedResults.NoContent();
                })
                .WithTags("agent-labels")
                .WithName("agents_remove_label")
                .WithSummary("Remove a label from an agent")
                .WithDescription("Admin only. 404 `agent_label_not_found` when the agent has no such label. Percent-encode the label in the path.");
    }
}
