using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Webhooks.Api;
using Brokkr.Webhooks.Domain;
using Carter;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Webhooks.Features;

/// <summary><c>GET /api/v1/webhooks/{id}</c>: admin only.</summary>
public static class GetWebhook
{
    public sealed record Query(Caller Caller, Guid Id) : IQuery<WebhookResponse>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, WebhookResponse>
    {
        public async ValueTask<WebhookResponse> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdmin();
            return (await Subscriptions.FindAsync(db, query.Id, cancellationToken)).ToResponse();
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/webhooks/{id}", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, id), ct)))
                .WithTags("webhooks")
                .WithName("get_webhook")
                .WithSummary("Get a webhook subscription")
                .WithDescription("Admin only. 404 `webhook_not_found`.");
    }
}
