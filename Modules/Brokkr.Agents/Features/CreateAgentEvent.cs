using Brokkr.Contracts.Agents;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Json;
using Carter;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Agents.Features;

/// <summary>
/// <c>POST /api/v1/agents/{id}/events</c>: the agent reports that it applied (or failed to apply) a
/// revision; incremental target state stops offering that revision.
/// </summary>
public static class CreateAgentEvent
{
    /// <summary>
    /// A request whose caller checks come first; the recording itself is the transactional
    /// <see cref="RecordAgentEvent"/> shared with the WebSocket channel.
    /// </summary>
    public sealed record Request(Caller Caller, Guid AgentId, NewAgentEvent Body) : IRequest<AgentEvent>;

    internal sealed class Handler(ISender sender) : IRequestHandler<Request, AgentEvent>
    {
        public async ValueTask<AgentEvent> Handle(Request request, CancellationToken cancellationToken)
        {
            request.Caller.RequireAdminOrAgent(request.AgentId);
            if (request.Body.AgentId != request.AgentId)
            {
                throw ApiException.BadRequest("agent_id_mismatch", "agent_id in the body does not match the path");
            }

            return await sender.Send(new RecordAgentEvent(request.AgentId, request.Body), cancellationToken);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/agents/{id}/events", async (Guid id, Caller caller, Json<NewAgentEvent> body, ISender sender, CancellationToken ct)
                    => TypedResults.Created((string?)null, await sender.Send(new Request(caller, id, body.Value), ct)))
                .Accepts<NewAgentEvent>("application/json")
                .WithTags("agent-events")
                .WithName("create_event")
                .WithSummary("Report an agent event")
                .WithDescription("Admin or the agent itself (403 `agent_pak_mismatch`); the body's `agent_id` must match the path (400 `agent_id_mismatch`). `event_type` at most 50 characters and `status` at most 10 (400 `invalid_agent_event`); the agent sends `DEPLOY` with `SUCCESS` or `FAILURE`. An unknown deployment object is 422 `foreign_key_violation`.");
    }
}
