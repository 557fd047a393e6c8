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

/// <summary><c>DELETE /api/v1/agents/{id}/annotations/{key}</c>: admin only.</summary>
public static class RemoveAgentAnnotation
{
    public sealed record Command(Caller Caller, Guid AgentId, string Key) : ICommand;

    internal sealed class Handler(BrokkrDb db) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            command.Caller.RequireAdmin();
            var deleted = await db.GetTable<AgentAnnotationRow>()
                .Where(a => a.AgentId == command.AgentId && a.Key == command.Key)
                .DeleteAsync(cancellationToken);
            return deleted > 0 ? Unit.Value : throw ApiException.NotFound("agent_annotation_not_found", "Agent annotation not found");
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapDelete("/api/v1/agents/{id}/annotations/{key}", async (Guid id, string key, Caller caller, HttpContext context, ISender sender, CancellationToken ct) =>
                {
                    caller.RequireAdmin();
                    await sender.Send(new Command(caller, id, PathSegment.LastDecoded(context, key)), ct);
                    return TypedResults.NoContent();
                })
                .WithTags("agent-annotations")
                .WithName("agents_remove_annotation")
                .WithSummary("Remove an annotation from an agent")
                .WithDescription("Admin only. 404 `agent_annotation_not_found` when the agent has no annotation with that key. Percent-encode the key in the path.");
    }
}
