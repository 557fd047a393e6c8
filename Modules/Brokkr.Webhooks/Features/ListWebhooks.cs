using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Webhooks.Api;
using Brokkr.Webhooks.Data;
using Brokkr.Webhooks.Domain;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Webhooks.Features;

/// <summary><c>GET /api/v1/webhooks</c>: admin only; every subscription, newest first.</summary>
public static class ListWebhooks
{
    public sealed record Query(Caller Caller) : IQuery<IReadOnlyList<WebhookResponse>>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, IReadOnlyList<WebhookResponse>>
    {
        public async ValueTask<IReadOnlyList<WebhookResponse>> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdmin();
            var rows = await db.GetTable<SubscriptionRow>()
                .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
                .ToListAsync(cancellationToken);
            return rows.ConvertAll(r => r.ToResponse());
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/webhooks", async (Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller), ct)))
                .WithTags("webhooks")
                .WithName("list_webhooks")
                .WithSummary("List webhook subscriptions")
                .WithDescription("Admin only. Every subscription, newest first. URL, auth header and signing secret are never returned: `has_url`, `has_auth_header` and `has_signing_secret` say whether they are set.");
    }
}
