using Brokkr.Contracts.Audit;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Webhooks.Data;
using Brokkr.Webhooks.Domain;
using Carter;
using LinqToDB;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Webhooks.Features;

/// <summary><c>DELETE /api/v1/webhooks/{id}</c>: admin only; a hard delete that takes the subscription's deliveries with it.</summary>
public static class DeleteWebhook
{
    public sealed record Command(Caller Caller, Guid Id) : ICommand<Unit>;

    internal sealed class Handler(BrokkrDb db, SubscriptionIndex index, IPublisher publisher) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            command.Caller.RequireAdmin();
            var deleted = await db.GetTable<SubscriptionRow>().Where(s => s.Id == command.Id).DeleteAsync(cancellationToken);
            if (deleted == 0)
            {
                throw Brokkr.Shared.Errors.ApiException.NotFound("webhook_not_found", "Webhook subscription not found");
            }

            await Subscriptions.AnnounceChangeAsync(db, index, cancellationToken);
            await publisher.Publish(new AuditEntry("admin", null, "webhook.deleted", "webhook_subscription", command.Id), cancellationToken);
            return Unit.Value;
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapDelete("/api/v1/webhooks/{id}", async (Guid id, Caller caller, ISender sender, CancellationToken ct) =>
                {
                    await sender.Send(new Command(caller, id), ct);
                    return TypedResults.NoContent();
                })
                .WithTags("webhooks")
                .WithName("delete_webhook")
                .WithSummary("Delete a webhook subscription")
                .WithDescription("Admin only. Deletes the subscription and all its deliveries; 404 `webhook_not_found` (a repeated DELETE too).");
    }
}
