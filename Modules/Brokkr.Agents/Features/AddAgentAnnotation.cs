using Brokkr.Agents.Api;
using Brokkr.Agents.Data;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Json;
using Brokkr.Shared.Text;
using Carter;
using LinqToDB;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Agents.Features;

/// <summary><c>POST /api/v1/agents/{id}/annotations</c>: key/value pairs that select stacks with the same pair.</summary>
public static class AddAgentAnnotation
{
    public sealed record NewAgentAnnotation(Guid AgentId, string Key, string Value);

    public sealed record Command(Caller Caller, Guid AgentId, NewAgentAnnotation Body) : ICommand<AgentAnnotation>;

    internal sealed class Handler(BrokkrDb db) : ICommandHandler<Command, AgentAnnotation>
    {
        public async ValueTask<AgentAnnotation> Handle(Command command, CancellationToken cancellationToken)
        {
            if (command.Body.AgentId != command.AgentId)
            {
                throw ApiException.BadRequest("agent_id_mismatch", "agent_id in the body does not match the path");
            }

            if (!WireText.Fits(command.Body.Key, 64) || !WireText.Fits(command.Body.Value, 64))
            {
                throw ApiException.BadRequest("invalid_annotation", "Annotation key and value must be at most 64 characters, without NUL characters");
            }

            var row = new AgentAnnotationRow { Id = Guid.CreateVersion7(), AgentId = command.AgentId, Key = command.Body.Key, Value = command.Body.Value };
            await db.InsertAsync(row, token: cancellationToken);
            return new AgentAnnotation(row.Id, row.AgentId, row.Key, row.Value);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/agents/{id}/annotations", async (Guid id, Caller caller, Json<NewAgentAnnotation> body, ISender sender, CancellationToken ct) =>
                {
                    caller.RequireAdmin();
                    return TypedResults.Created((string?)null, await sender.Send(new Command(caller, id, body.Value), ct));
                })
                .Accepts<NewAgentAnnotation>("application/json")
                .WithTags("agent-annotations")
                .WithName("agents_add_annotation")
                .WithSummary("Add an annotation to an agent")
                .WithDescription("Admin only. Body `{agent_id, key, value}`; key and value at most 64 characters; one value per key.");
    }
}
