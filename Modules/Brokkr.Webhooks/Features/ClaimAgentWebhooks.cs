using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Webhooks.Api;
using Brokkr.Webhooks.Data;
using Brokkr.Webhooks.Delivery;
using Brokkr.Webhooks.Domain;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Webhooks.Features;

/// <summary>
/// <c>GET /api/v1/agents/{agent_id}/webhooks/pending</c>: admin or the agent itself, never the
/// read-only token (compatibility.md: the answer holds decrypted secrets). A GET that claims, as
/// reference agents expect: up to 10 pending deliveries whose <c>target_labels</c> the agent all
/// carries, for 60 s, atomically (<c>FOR UPDATE SKIP LOCKED</c>).
/// </summary>
public static class ClaimAgentWebhooks
{
    public const int MaxClaims = 10;

    public sealed record Command(Caller Caller, Guid AgentId) : ICommand<IReadOnlyList<PendingWebhookDelivery>>;

    private const string ClaimSql = """
        UPDATE webhook_deliveries d
        SET status = 'acquired', acquired_by = @agent, acquired_until = @until
        FROM webhook_subscriptions s
        WHERE s.id = d.subscription_id
          AND d.id IN (
              SELECT c.id FROM webhook_deliveries c
              WHERE c.status = 'pending' AND c.target_labels IS NOT NULL
                AND c.target_labels <@ ARRAY(SELECT l.label::text FROM webhook_agent_labels l WHERE l.agent_id = @agent)
              ORDER BY c.created_at, c.id
              LIMIT @limit
              FOR UPDATE SKIP LOCKED)
        RETURNING d.id, d.subscription_id, d.event_type, d.payload, d.attempts, d.created_at,
                  s.url_encrypted, s.auth_header_encrypted, s.signing_secret_encrypted, s.max_retries, s.timeout_seconds
        """;

    internal sealed class Handler(BrokkrDb db, DeliveryLedger ledger, WebhookKeyring keyring, TimeProvider time)
        : ICommandHandler<Command, IReadOnlyList<PendingWebhookDelivery>>
    {
        public async ValueTask<IReadOnlyList<PendingWebhookDelivery>> Handle(Command command, CancellationToken cancellationToken)
        {
            if (command.Caller.ReadOnly)
            {
                throw ApiException.Forbidden("forbidden", "The read-only token cannot claim webhook deliveries");
            }

            command.Caller.RequireAdminOrAgent(command.AgentId);
            if (!await db.GetTable<LiveAgentView>().AnyAsync(a => a.Id == command.AgentId, cancellationToken))
            {
                throw ApiException.NotFound("agent_not_found", "Agent not found");
            }

            var now = DbClock.Now(time);
            var claimed = await db.QueryToListAsync<ClaimedDeliveryRow>(ClaimSql, cancellationToken,
                new DataParameter("agent", command.AgentId, DataType.Guid),
                DbClock.Parameter("until", now.AddSeconds(DeliverWebhooks.AgentClaimTtlSeconds)),
                new DataParameter("limit", MaxClaims, DataType.Int32));
            if (claimed.Count == 0)
            {
                return [];
            }

            var cipher = await keyring.CipherAsync(cancellationToken);
            var pending = new List<PendingWebhookDelivery>();
            foreach (var row in claimed.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id))
            {
                if (SubscriptionSecrets.TryDecrypt(cipher, row, "agent", out var error) is not { } secrets)
                {
                    await ledger.RecordAsync(row.Id, row.SubscriptionId, row.EventType, command.AgentId,
                        new Transition(DeliveryStatus.Dead, row.Attempts, null), error, now, cancellationToken);
                    continue;
                }

                pending.Add(new PendingWebhookDelivery(
                    row.Id, row.SubscriptionId, row.EventType, row.Payload, secrets.Url, secrets.AuthHeader,
                    row.TimeoutSeconds, row.MaxRetries, row.Attempts,
                    secrets.SigningSecret is null ? null : WebhookSignature.Headers(secrets.SigningSecret, time.GetUtcNow(), row.Payload)));
            }

            return pending;
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/agents/{agent_id}/webhooks/pending", async ([FromRoute(Name = "agent_id")] Guid agentId, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Command(caller, agentId), ct)))
                .WithTags("webhooks")
                .WithName("get_pending_agent_webhooks")
                .WithSummary("Claim the webhook deliveries an agent should send")
                .WithDescription("Admin or the agent itself (403 `agent_pak_mismatch`, before any lookup); the read-only token is refused (403 `forbidden`), since the answer holds decrypted URLs and auth headers. 404 `agent_not_found`. Claims up to 10 pending deliveries whose `target_labels` the agent all carries, oldest first, for 60 s: a second call in that time does not return them again. The agent POSTs `payload` to `url` (with `Authorization: auth_header` when set, `X-Brokkr-Event-Type`, `X-Brokkr-Delivery-Id` and, when the subscription signs, the `signature_headers`) and reports with `POST /webhook-deliveries/{id}/result`.");
    }
}
