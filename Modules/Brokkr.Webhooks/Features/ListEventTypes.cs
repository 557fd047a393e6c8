using Brokkr.Contracts.Webhooks;
using Brokkr.Shared.Auth;
using Carter;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Webhooks.Features;

/// <summary><c>GET /api/v1/webhooks/event-types</c>: admin only; the twelve event types of behaviour §7.</summary>
public static class ListEventTypes
{
    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/webhooks/event-types", (Caller caller) =>
                {
                    caller.RequireAdmin();
                    return TypedResults.Ok(WebhookEventTypes.All);
                })
                .WithTags("webhooks")
                .WithName("list_event_types")
                .WithSummary("List webhook event types")
                .WithDescription("Admin only. The event types a subscription can name; patterns `prefix.*` and `*` match several. `POST /webhooks/{id}/test` additionally sends `webhook.test`.");
    }
}
