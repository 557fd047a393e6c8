using Brokkr.Contracts.Stacks;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Http;
using Brokkr.Stacks.Data;
using Brokkr.Stacks.Domain;
using Carter;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Stacks.Features;

/// <summary>
/// <c>GET /api/v1/agents/{id}/target-state</c>: for each stack associated with the agent, its newest
/// live revision, plus the deletion markers it is owed; <c>mode=full</c> or incremental (anything
/// else), optional <c>since_sequence</c>, a strong ETag and 304 on a matching If-None-Match.
/// </summary>
public static class GetTargetState
{
    /// <summary>A query: no transaction; answered from the cache, else by one prepared statement on its own connection.</summary>
    /// <remarks><paramref name="Revalidate"/>: the client sent <c>Cache-Control: no-cache</c> (an agent woken by a push); read the database.</remarks>
    public sealed record Query(Caller Caller, Guid AgentId, bool Full, long? SinceSequence, IReadOnlyList<string> IfNoneMatch, bool Revalidate = false) : IQuery<Answer>;

    /// <summary>The entity tag (quoted) and each object's JSON, or null objects when the client's copy is current.</summary>
    public sealed record Answer(string ETag, IReadOnlyList<byte[]>? Objects);

    internal sealed class Handler(TargetStateReader reader, TargetStateCache cache) : IQueryHandler<Query, Answer>
    {
        public async ValueTask<Answer> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdminOrAgent(query.AgentId);
            var request = new TargetStateRequest(query.AgentId, query.Full, query.SinceSequence, query.IfNoneMatch);
            var fromMemory = true;
            if (query.Revalidate || !cache.TryGet(request, out var state) || (state.Objects is null && !EntityTags.Matches(request.IfNoneMatch, state.ETag)))
            {
                fromMemory = false;
                var ticket = cache.Begin(request.AgentId);
                var answer = await reader.ReadAsync(request, cancellationToken);
                state = cache.Store(ticket, request.Scope, answer.ETag, answer.Objects, refresh: query.Revalidate);
            }

            TargetStateMetrics.Answered(fromMemory);
            return new Answer(EntityTags.Quote(state.ETag), EntityTags.Matches(request.IfNoneMatch, state.ETag) ? null : state.Objects);
        }
    }

    /// <summary>The reference treats every mode but exactly <c>full</c> (including invalid values) as incremental.</summary>
    internal static bool IsFull(string? mode) => mode == "full";

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/agents/{id}/target-state", async Task<Results<Ok<IReadOnlyList<DeploymentObject>>, StatusCodeHttpResult, JsonArrayResult>> (
                    Guid id,
                    [FromQuery] string? mode,
                    [FromQuery(Name = "since_sequence")] string? sinceSequence,
                    Caller caller,
                    HttpContext context,
                    ISender sender,
                    CancellationToken ct) =>
                {
                    var since = QueryParameters.NonNegative("since_sequence", sinceSequence);
                    var tags = EntityTags.ParseIfNoneMatch(context.Request.Headers.IfNoneMatch);
                    var revalidate = context.Request.GetTypedHeaders().CacheControl?.NoCache == true;
                    var answer = await sender.Send(new Query(caller, id, IsFull(mode), since, tags, revalidate), ct);
                    context.Response.Headers.ETag = answer.ETag;
                    return answer.Objects is null
                        ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
                        : new JsonArrayResult(answer.Objects);
                })
                .WithTags("agents")
                .WithName("get_target_state")
                .WithSummary("Get an agent's target state")
                .WithDescription("Admin or the agent itself. For each stack associated with the agent (explicit targets, plus label and annotation matches from generators it is registered with), the newest live deployment object, plus the deletion markers of stacks deleted while the agent was associated; `sequence_id` descending. `mode=full` returns everything; any other mode is incremental and leaves out objects the agent has reported an event for (a deletion marker stays in `full` for at least 7 days). `since_sequence=N` keeps only objects with a greater `sequence_id`. Every 200 carries a strong `ETag`; a matching `If-None-Match` gets 304. Answers come from the broker's memory until a change drops them; `Cache-Control: no-cache` reads the database (the agent sends it after a push).")
                .Produces(StatusCodes.Status304NotModified);
    }
}
