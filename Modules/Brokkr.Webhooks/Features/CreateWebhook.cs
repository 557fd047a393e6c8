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
/// <c>POST /api/v1/webhooks</c>: admin only. The URL, auth header and signing secret are stored
/// encrypted. Checks in the reference's order (details §2.2); event types are not checked against the
/// known list, since they are patterns.
/// </summary>
public static class CreateWebhook
{
    public sealed record Command(Caller Caller, JsonElement Body) : ICommand<WebhookResponse>;

    internal sealed class Handler(BrokkrDb db, WebhookKeyring keyring, SubscriptionIndex index, IPublisher publisher, TimeProvider time)
        : ICommandHandler<Command, WebhookResponse>
    {
        public async ValueTask<WebhookResponse> Handle(Command command, CancellationToken cancellationToken)
        {
            command.Caller.RequireAdmin();
            Subscriptions.RejectRemovedFields(command.Body, create: true);
            var body = Subscriptions.Parse<CreateWebhookRequest>(command.Body);
            Subscriptions.RequireStrings(body.EventTypes, "event_types");
            Subscriptions.RequireStrings(body.TargetLabels, "target_labels");
            Validate(body);

            var cipher = await keyring.CipherAsync(cancellationToken);
            var now = DbClock.Now(time);
            var row = new SubscriptionRow
            {
                Id = Guid.CreateVersion7(),
                Name = body.Name,
                UrlEncrypted = cipher.Encrypt(body.Url),
                AuthHeaderEncrypted = body.AuthHeader is null ? null : cipher.Encrypt(body.AuthHeader),
                SigningSecretEncrypted = body.SigningSecret is null ? null : cipher.Encrypt(body.SigningSecret),
                EventTypes = [.. body.EventTypes],
                Filters = body.Filters is null ? null : Subscriptions.WriteFilters(body.Filters),
                TargetLabels = body.TargetLabels is null ? null : [.. body.TargetLabels],
                Enabled = true,
                MaxRetries = body.MaxRetries ?? Subscriptions.DefaultMaxRetries,
                TimeoutSeconds = body.TimeoutSeconds ?? Subscriptions.DefaultTimeoutSeconds,
                CreatedAt = now,
                UpdatedAt = now,
                CreatedBy = "admin",
            };
            await db.InsertAsync(row, token: cancellationToken);
            await Subscriptions.AnnounceChangeAsync(db, index, cancellationToken);

            await publisher.Publish(new AuditEntry("admin", null, "webhook.created", "webhook_subscription", row.Id,
                new Dictionary<string, object?> { ["name"] = row.Name, ["event_types"] = row.EventTypes }), cancellationToken);
            return row.ToResponse();
        }

        private static void Validate(CreateWebhookRequest body)
        {
            if (string.IsNullOrWhiteSpace(body.Url))
            {
                throw Brokkr.Shared.Errors.ApiException.BadRequest("url_required", "url is required");
            }

            if (!body.Url.StartsWith("http://", StringComparison.Ordinal) && !body.Url.StartsWith("https://", StringComparison.Ordinal))
            {
                throw Brokkr.Shared.Errors.ApiException.BadRequest("invalid_url_scheme", "url must start with http:// or https://");
            }

            if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > Subscriptions.MaxNameLength)
            {
                throw Subscriptions.Invalid($"name must be 1 to {Subscriptions.MaxNameLength} characters");
            }

            if (body.EventTypes.Count == 0)
            {
                throw Subscriptions.Invalid("event_types must name at least one event type or pattern");
            }

            Subscriptions.CheckRanges(body.MaxRetries, body.TimeoutSeconds);
            Subscriptions.CheckStorable(body.Name, body.EventTypes, body.TargetLabels);
            if (body.SigningSecret is { Length: 0 })
            {
                throw Subscriptions.Invalid("signing_secret must not be empty; leave it out for unsigned deliveries");
            }
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/webhooks", async (Caller caller, Json<JsonElement> body, ISender sender, CancellationToken ct)
                    => TypedResults.Created((string?)null, await sender.Send(new Command(caller, body.Value), ct)))
                .Accepts<CreateWebhookRequest>("application/json")
                .Produces<WebhookResponse>(StatusCodes.Status201Created)
                .WithTags("webhooks")
                .WithName("create_webhook")
                .WithSummary("Create a webhook subscription")
                .WithDescription("Admin only. `event_types` are exact types, `prefix.*` or `*`; `filters` (`agent_id`, `stack_id`) must equal the event's data; with `target_labels` an agent carrying all of them delivers instead of the broker. `url`, `auth_header` (sent as `Authorization`) and the optional `signing_secret` are stored encrypted and never returned. With a signing secret every delivery carries `X-Brokkr-Timestamp` and `X-Brokkr-Signature: sha256=<hex HMAC-SHA256(secret, \"<timestamp>.<body>\")>`. 422 `unsupported_field` for `validate` or `filters.labels`; 422 `invalid_request_body` for a wrong shape; 400 `url_required`, `invalid_url_scheme`; 400 `invalid_webhook` for a blank or over-long name or empty `event_types`; 422 `invalid_webhook` for `max_retries` outside 0..10 or `timeout_seconds` outside 1..300. Defaults: 5 retries, 30 s timeout.");
    }
}
