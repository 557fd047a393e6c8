using System.Text.Json;
using Brokkr.Contracts.Audit;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Json;
using Brokkr.Webhooks.Api;
using Brokkr.Webhooks.Data;
using Brokkr.Webhooks.Domain;
using Carter;
using LinqToDB;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Webhooks.Features;

/// <summary>
/// <c>PUT /api/v1/webhooks/{id}</c>: admin only. A partial update where a JSON <c>null</c> leaves the
/// field unchanged, as in the reference; only the ranges are checked again (details §2.2), plus what
/// could not be stored. An empty <c>signing_secret</c> removes the secret.
/// </summary>
public static class UpdateWebhook
{
    public sealed record Command(Caller Caller, Guid Id, JsonElement Body) : ICommand<WebhookResponse>;

    internal sealed class Handler(BrokkrDb db, WebhookKeyring keyring, SubscriptionIndex index, IPublisher publisher)
        : ICommandHandler<Command, WebhookResponse>
    {
        public async ValueTask<WebhookResponse> Handle(Command command, CancellationToken cancellationToken)
        {
            command.Caller.RequireAdmin();
            Subscriptions.RejectRemovedFields(command.Body, create: false);
            var body = Subscriptions.Parse<UpdateWebhookRequest>(command.Body);
            Subscriptions.RequireStrings(body.EventTypes, "event_types");
            Subscriptions.RequireStrings(body.TargetLabels, "target_labels");
            var row = await Subscriptions.FindAsync(db, command.Id, cancellationToken);
            Subscriptions.CheckRanges(body.MaxRetries, body.TimeoutSeconds);
            Subscriptions.CheckStorable(body.Name, body.EventTypes, body.TargetLabels);

            var cipher = await keyring.CipherAsync(cancellationToken);
            row.Name = body.Name ?? row.Name;
            row.UrlEncrypted = body.Url is null ? row.UrlEncrypted : cipher.Encrypt(body.Url);
            row.AuthHeaderEncrypted = body.AuthHeader is null ? row.AuthHeaderEncrypted : cipher.Encrypt(body.AuthHeader);
            row.SigningSecretEncrypted = body.SigningSecret switch
            {
                null => row.SigningSecretEncrypted,
                "" => null,
                var secret => cipher.Encrypt(secret),
            };
            row.EventTypes = body.EventTypes is null ? row.EventTypes : [.. body.EventTypes];
            row.Filters = body.Filters is null ? row.Filters : Subscriptions.WriteFilters(body.Filters);
            row.TargetLabels = body.TargetLabels is null ? row.TargetLabels : [.. body.TargetLabels];
            row.Enabled = body.Enabled ?? row.Enabled;
            row.MaxRetries = body.MaxRetries ?? row.MaxRetries;
            row.TimeoutSeconds = body.TimeoutSeconds ?? row.TimeoutSeconds;
            await db.UpdateAsync(row, token: cancellationToken);
            await Subscriptions.AnnounceChangeAsync(db, index, cancellationToken);
            var updated = await Subscriptions.FindAsync(db, row.Id, cancellationToken);

            await publisher.Publish(new AuditEntry("admin", null, "webhook.updated", "webhook_subscription", row.Id,
                new Dictionary<string, object?> { ["name"] = updated.Name, ["enabled"] = updated.Enabled }), cancellationToken);
            return updated.ToResponse();
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPut("/api/v1/webhooks/{id}", async (Guid id, Caller caller, Json<JsonElement> body, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Command(caller, id, body.Value), ct)))
                .Accepts<UpdateWebhookRequest>("application/json")
                .Produces<WebhookResponse>()
                .WithTags("webhooks")
                .WithName("update_webhook")
                .WithSummary("Update a webhook subscription")
                .WithDescription("Admin only. Every field is optional and a JSON `null` leaves the field unchanged (as in the reference, so `auth_header`, `filters` and `target_labels` cannot be cleared). An empty `signing_secret` removes the secret. 422 `unsupported_field` for `filters.labels`; 422 `invalid_request_body` for a wrong shape; 404 `webhook_not_found`; 422 `invalid_webhook` for `max_retries` outside 0..10 or `timeout_seconds` outside 1..300. URL scheme, name and event types are not checked again, as in the reference.");
    }
}
