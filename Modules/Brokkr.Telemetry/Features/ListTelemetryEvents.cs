using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Telemetry.Api;
using Brokkr.Telemetry.Data;
using Brokkr.Telemetry.Domain;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Telemetry.Features;

/// <summary>
/// <c>GET /api/v1/stacks/{id}/events</c>: the Kubernetes events agents forwarded for the stack,
/// newest first, from the 6-hour buffer. Admin or the owning generator.
/// </summary>
public static class ListTelemetryEvents
{
    public sealed record Query(Caller Caller, Guid StackId, DateTime? Since, long? Limit) : IQuery<K8sEventHistoryResponse>;

    internal sealed class Handler(BrokkrDb db, TimeProvider time) : IQueryHandler<Query, K8sEventHistoryResponse>
    {
        public async ValueTask<K8sEventHistoryResponse> Handle(Query query, CancellationToken cancellationToken)
        {
            await TelemetryStackAccess.EnsureOwnedAsync(db, query.Caller, query.StackId, cancellationToken);
            var since = Retention.ClampSince(query.Since, time.GetUtcNow().UtcDateTime);
            var rows = await db.GetTable<K8sEventRow>()
                .Where(e => e.StackId == query.StackId && e.CreatedAt >= since)
                .OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id)
                .Take(Retention.ClampLimit(query.Limit))
                .ToListAsync(cancellationToken);
            return new K8sEventHistoryResponse(Retention.Info(rows.Count == 0 ? null : rows[^1].CreatedAt), rows.ConvertAll(r => r.ToContract()));
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/stacks/{id}/events", async (
                    Guid id, [FromQuery] string? since, [FromQuery] string? limit, Caller caller, ISender sender, CancellationToken ct) =>
                {
                    var query = new Query(caller, id, Retention.ParseSince(since), Retention.ParseLimit(limit));
                    return TypedResults.Ok(await sender.Send(query, ct));
                })
                .WithTags("stack-telemetry")
                .WithName("list_telemetry_events")
                .WithSummary("List a stack's Kubernetes events")
                .WithDescription("Admin or the generator that owns the stack (404 `stack_not_found`, then 403 `stack_not_owned`). Events agents forwarded for the stack, newest first. `since` (RFC 3339) is clamped to the last 6 hours; `limit` defaults to 500 and is clamped to 1..5000. `retention` states the 6-hour ceiling and the oldest row returned.")
                .AddOpenApiOperationTransformer(TelemetryQueryParameters.DescribeAsync);
    }
}
