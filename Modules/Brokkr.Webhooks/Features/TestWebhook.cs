using Brokkr.Contracts.Webhooks;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Webhooks.Api;
using Brokkr.Webhooks.Data;
using Brokkr.Webhooks.Delivery;
using Brokkr.Webhooks.Domain;
using Carter;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Webhooks.Features;

/// <summary>
/// <c>POST /api/v1/webhooks/{id}/test</c>: admin only. Sends a <c>webhook.test</c> event to the
/// subscription's URL at once and reports the answer (details §4.5); nothing is stored. Not a command,
/// so no transaction stays open while the subscriber answers.
/// </summary>
public static class TestWebhook
{
    public const string TestMessage = "This is a test webhook delivery from Brokkr";

    public sealed record Command(Caller Caller, Guid Id) : IRequest<TestWebhookResponse>;

    internal sealed class Handler(BrokkrDb db, WebhookKeyring keyring, WebhookSender sender, TimeProvider time)
        : IRequestHandler<Command, TestWebhookResponse>
    {
        public async ValueTask<TestWebhookResponse> Handle(Command command, CancellationToken cancellationToken)
        {
            command.Caller.RequireAdmin();
            if (command.Caller.ReadOnly)
            {
                throw ApiException.Forbidden("forbidden", "The read-only token cannot send test deliveries");
            }

            var row = await Subscriptions.FindAsync(db, command.Id, cancellationToken);
            var cipher = await keyring.CipherAsync(cancellationToken);
            var claimed = new ClaimedDeliveryRow
            {
                UrlEncrypted = row.UrlEncrypted,
                AuthHeaderEncrypted = row.AuthHeaderEncrypted,
                SigningSecretEncrypted = row.SigningSecretEncrypted,
            };
            if (SubscriptionSecrets.TryDecrypt(cipher, claimed, "broker", out var error) is not { } secrets)
            {
                throw ApiException.BadRequest("webhook_test_failed", error);
            }

            var payload = WebhookPayload.Build(Guid.NewGuid(), WebhookEventTypes.Test, DbClock.Now(time), new Dictionary<string, object?>
            {
                ["message"] = TestMessage,
                ["subscription_id"] = row.Id,
            });
            var result = await sender.SendAsync(
                new OutgoingWebhook(secrets.Url, secrets.AuthHeader, secrets.SigningSecret, payload, WebhookEventTypes.Test, null, row.TimeoutSeconds),
                cancellationToken);
            return result switch
            {
                { IsSuccess: true, StatusCode: { } code } => new TestWebhookResponse(true, code, "Test delivery successful"),
                { StatusCode: { } code } => throw ApiException.BadRequest("webhook_test_failed", $"endpoint returned HTTP {DeliveryRules.StatusText(code)}",
                    new Dictionary<string, object?> { ["body"] = result.Body, ["status_code"] = code }),
                _ => throw ApiException.BadRequest("webhook_test_failed", $"request failed: {result.TransportError}"),
            };
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/webhooks/{id}/test", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Command(caller, id), ct)))
                .WithTags("webhooks")
                .WithName("test_webhook")
                .WithSummary("Send a test delivery")
                .WithDescription("Admin only. POSTs `{id, event_type: \"webhook.test\", timestamp, data: {message, subscription_id}}` to the subscription's URL now, with its `Authorization` header and signature, and waits for the answer (the subscription's timeout). 200 `{success: true, status_code, message}` for a 2xx; otherwise 400 `webhook_test_failed` with `details {status_code, body}` (the first 500 characters), or without details when the request itself failed. 404 `webhook_not_found`. Nothing is stored.");
    }
}
