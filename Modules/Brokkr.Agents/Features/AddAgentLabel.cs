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

/// <summary><c>POST /api/v1/agents/{id}/labels</c>: labels select stacks that carry the same label.</summary>
public static class AddAgentLabel
{
    public sealed record NewAgentLabel(Guid AgentId, string Label);

    public sealed record Command(Caller Caller, Guid AgentId, NewAgentLabel Body) : ICommand<AgentLabel>;

    internal sealed class Handler(BrokkrDb db) : ICommandHandler<Command, AgentLabel>
    {
        public async ValueTask<AgentLabel> Handle(Command command, CancellationToken cancellationToken)
        {
            if (command.Body.AgentId != command.AgentId)
            {
                throw ApiException.BadRequest("agent_id_mismatch", "agent_id in the body does not match the path");
            }

            if (!WireText.Fits(command.Body.Label, 64))
            {
                throw ApiException.BadRequest("invalid_label", "Label must be at most 64 characters, without NUL characters");
            }

            var row = new AgentLabelRow { Id = Guid.CreateVersion7(), AgentId = command.AgentId, Label = command.Body.Label };
            await db.InsertAsync(row, token: cancellationToken);
            return new AgentLabel(row.Id, row.AgentId, row.Label);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/agents/{id}/labels", async (Guid id, Caller caller, Json<NewAgentLabel> body, ISender sender, CancellationToken ct) =>
                {
                    caller.RequireAdmin();
                    return TypedResults.Created((string?)null, await sender.Send(new Command(caller, id, body.Value), ct));
                })
                .Accepts<NewAgentLabel>("application/json")
                .WithTags("agent-labels")
                .WithName("agents_add_label")
                .WithSummary("Add a label to an agent")
                .WithDescription("Admin only. Body `{agent_id, label}`; the label must be at most 64 characters. A stack with the same label from a generator the agent is registered with is deployed to the agent.");
    }
}
