using Brokkr.Agents.Data;
using Brokkr.Contracts.Agents;
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

/// <summary>
/// <c>POST /api/v1/agents/{id}/events</c>: the agent reports that it applied (or failed to apply) a
/// revision; incremental target state stops offering that revision. A hot path: one INSERT.
/// </summary>
public static class CreateAgentEvent
{
    public const int MaxEventTypeLength = 50;
    public const int MaxStatusLength = 10;

    /// <summary>
    /// A request, not a command: the single INSERT is atomic on its own, so the transaction behaviour's
    /// BEGIN/COMMIT round trips are skipped on the event-ingest path.
    /// </summary>
    public sealed record Request(Caller Caller, Guid AgentId, NewAgentEvent Body) : IRequest<AgentEvent>;

    internal sealed class Handler(BrokkrDb db) : IRequestHandler<Request, AgentEvent>
    {
        public async ValueTask<AgentEvent> Handle(Request request, CancellationToken cancellationToken)
        {
            request.Caller.RequireAdminOrAgent(request.AgentId);
            var body = request.Body;
            if (body.AgentId != request.AgentId)
            {
                throw ApiException.BadRequest("agent_id_mismatch", "agent_id in the body does not match the path");
            }

            if (!WireText.Fits(body.EventType, MaxEventTypeLength)
                || !WireText.Fits(body.Status, MaxStatusLength)
                || !WireText.IsStorable(body.Message))
            {
                throw ApiException.BadRequest("invalid_agent_event",
                    $"event_type must be at most {MaxEventTypeLength} characters and status at most {MaxStatusLength}, without NUL characters");
            }

            var row = await db.GetTable<AgentEventRow>().InsertWithOutputAsync(new AgentEventRow
            {
                Id = Guid.CreateVersion7(),
                AgentId = request.AgentId,
                DeploymentObjectId = body.DeploymentObjectId,
                EventType = body.EventType,
                Status = body.Status,
                Message = body.Message,
            }, token: cancellationToken);
            return row.ToContract();
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
