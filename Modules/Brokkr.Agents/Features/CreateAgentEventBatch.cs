using Brokkr.Agents.Handlers;
using Brokkr.Agents.Ingest;
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
/// <c>POST /api/v1/agents/{id}/events/batch</c> (an addition, ADR 0031): several events of one agent in
/// one request, checked as the single route checks one and stored all or none, in one transaction with
/// their webhook events. An agent that has queued reports while the broker was away catches up in a few
/// requests instead of one per event.
/// </summary>
public static class CreateAgentEventBatch
{
    public const int MaxEvents = 1000;

    public sealed record Request(Caller Caller, Guid AgentId, IReadOnlyList<NewAgentEvent?> Body) : IRequest<IReadOnlyList<AgentEvent>>;

    internal sealed class Handler(EventWriter writer) : IRequestHandler<Request, IReadOnlyList<AgentEvent>>
    {
        public async ValueTask<IReadOnlyList<AgentEvent>> Handle(Request request, CancellationToken cancellationToken)
        {
            request.Caller.RequireAdminOrAgent(request.AgentId);
            if (request.Body.Count > MaxEvents)
            {
                throw new ApiException(413, "too_many_events", $"At most {MaxEvents} events per request", new Dictionary<string, object?> { ["max_events"] = MaxEvents });
            }

            var events = new List<NewAgentEvent>(request.Body.Count);
            for (var i = 0; i < request.Body.Count; i++)
            {
                var body = request.Body[i]
                    ?? throw ApiException.Unprocessable("invalid_request_body", "An event must be an object", Index(i));
                if (body.AgentId != request.AgentId)
                {
                    throw ApiException.BadRequest("agent_id_mismatch", "agent_id in the body does not match the path", Index(i));
                }

                try
                {
                    RecordAgentEventHandler.Validate(body);
                }
                catch (ApiException ex)
                {
                    throw ApiException.BadRequest(ex.Code, ex.Message, Index(i));
                }

                events.Add(body);
            }

            if (events.Count == 0)
            {
                return [];
            }

            return await writer.SubmitAsync(new AgentEventBatch(request.AgentId, events), cancellationToken);
        }

        private static Dictionary<string, object?> Index(int index) => new() { ["index"] = index };
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/agents/{id}/events/batch", async (Guid id, Caller caller, Json<List<NewAgentEvent?>> body, ISender sender, CancellationToken ct)
                    => TypedResults.Created((string?)null, await sender.Send(new Request(caller, id, body.Value), ct)))
                .Accepts<List<NewAgentEvent>>("application/json")
                .WithTags("agents")
                .WithName("create_event_batch")
                .WithSummary("Report several agent events")
                .WithDescription($"An addition to the reference. A JSON array of the single route's bodies, at most {MaxEvents} (413 `too_many_events`). Admin or the agent itself (403 `agent_pak_mismatch`); all or nothing: the first event whose `agent_id` differs from the path (400 `agent_id_mismatch`) or that breaks the single route's limits (400 `invalid_agent_event`) refuses the whole request, with its `index` in `details`, and an unknown deployment object is 422 `foreign_key_violation` with nothing stored. 201 with the stored events in the order sent, each with the webhook event the single route fires. An empty array stores nothing and gives [].");
    }
}
