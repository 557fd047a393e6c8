using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Http;
using Brokkr.Webhooks.Api;
using Brokkr.Webhooks.Data;
using Brokkr.Webhooks.Domain;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Webhooks.Features;

/// <summary>
/// <c>GET /api/v1/webhooks/{id}/deliveries</c>: admin only; the subscription's deliveries, newest first,
/// optionally of one <c>status</c>, 50 at a time unless <c>limit</c> says otherwise (at most 1000).
/// </summary>
public static class ListDeliveries
{
    public const int DefaultLimit = 50;

    public sealed record Query(Caller Caller, Guid SubscriptionId, string? Status, int Limit, int Offset) : IQuery<IReadOnlyList<WebhookDelivery>>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, IReadOnlyList<WebhookDelivery>>
    {
        public async ValueTask<IReadOnlyList<WebhookDelivery>> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdmin();
            await Subscriptions.EnsureExistsAsync(db, query.SubscriptionId, cancellationToken);
            if (query.Limit == 0 || (query.Status is not null && !DeliveryStatus.All.Contains(query.Status)))
            {
                return [];
            }

            var rows = db.GetTable<DeliveryRow>().Where(d => d.SubscriptionId == query.SubscriptionId);
            if (query.Status is { } status)
            {
                rows = rows.Where(d => d.Status == status);
            }

            var page = await rows.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id)
                .Skip(query.Offset).Take(query.Limit)
                .ToListAsync(cancellationToken);
            return page.ConvertAll(Deliveries.ToContract);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/webhooks/{id}/deliveries", async (
                    Guid id, [FromQuery] string? status, [FromQuery] long? limit, [FromQuery] long? offset,
                    Caller caller, ISender sender, CancellationToken ct) =>
                {
                    if (limit is < 0)
                    {
                        throw QueryParameters.Invalid("limit", "must be an integer of at least 0");
                    }

                    if (offset is < 0)
                    {
                        throw QueryParameters.Invalid("offset", "must be an integer of at least 0");
                    }

                    var take = (int)Math.Min(limit ?? DefaultLimit, Paging.MaxLimit);
                    var skip = (int)Math.Min(offset ?? 0, int.MaxValue);
                    return TypedResults.Ok(await sender.Send(new Query(caller, id, status, take, skip), ct));
                })
                .WithTags("webhooks")
                .WithName("list_deliveries")
                .WithSummary("List a subscription's deliveries")
                .WithDescription("Admin only. 404 `webhook_not_found`. Newest first; `status` is one of `pending`, `acquired`, `success`, `failed`, `dead`; `limit` defaults to 50 (at most 1000), `offset` to 0.");
    }
}
