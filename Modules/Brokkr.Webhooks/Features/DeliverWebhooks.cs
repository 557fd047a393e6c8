using Brokkr.Shared.Configuration;
using Brokkr.Shared.Data;
using Brokkr.Webhooks.Data;
using Brokkr.Webhooks.Delivery;
using Brokkr.Webhooks.Domain;
using LinqToDB;
using LinqToDB.Data;
using Mediator;

namespace Brokkr.Webhooks.Features;

/// <summary>
/// The delivery job (behaviour §7 and §12, every <c>webhook_delivery_interval_seconds</c>): releases
/// acquisitions past their TTL, puts failed deliveries due for a retry back in the queue, then claims
/// up to <c>webhook_delivery_batch_size</c> broker deliveries (no <c>target_labels</c>) with
/// <c>FOR UPDATE SKIP LOCKED</c>, so concurrent runs on any number of replicas never claim one twice,
/// and POSTs them concurrently. Not a command: no transaction may stay open while subscribers answer,
/// so each step commits on its own; a broker that stops mid-batch leaves claims that expire and are
/// offered again.
/// </summary>
public static class DeliverWebhooks
{
    public const string JobKey = "webhook-delivery";
    public const int AgentClaimTtlSeconds = 60;

    public sealed record Command : IRequest<Outcome>;

    /// <summary>What one run did; shown on the jobs dashboard.</summary>
    public sealed record Outcome(int Released, int Retried, int Claimed, int Succeeded, int Failed, int Dead);

    private const string ReleaseSql = """
        UPDATE webhook_deliveries SET status = 'pending', acquired_by = NULL, acquired_until = NULL
        WHERE status = 'acquired' AND acquired_until < @now
        """;

    private const string RetrySql = """
        UPDATE webhook_deliveries SET status = 'pending'
        WHERE status = 'failed' AND next_retry_at <= @now
        """;

    // A broker claim outlives the subscription's timeout, so a slow subscriber is never claimed twice.
    private const string ClaimSql = """
        UPDATE webhook_deliveries d
        SET status = 'acquired', acquired_by = NULL,
            acquired_until = @now + make_interval(secs => greatest(60, s.timeout_seconds + 30))
        FROM webhook_subscriptions s
        WHERE s.id = d.subscription_id
          AND d.id IN (
              SELECT c.id FROM webhook_deliveries c
              WHERE c.status = 'pending' AND (c.target_labels IS NULL OR cardinality(c.target_labels) = 0)
              ORDER BY c.created_at, c.id
              LIMIT @batch
              FOR UPDATE SKIP LOCKED)
        RETURNING d.id, d.subscription_id, d.event_type, d.payload, d.attempts, d.created_at,
                  s.url_encrypted, s.auth_header_encrypted, s.signing_secret_encrypted, s.max_retries, s.timeout_seconds
        """;

    internal sealed class Handler(
        BrokkrDb db, DeliveryLedger ledger, WebhookKeyring keyring, WebhookSender sender, BrokkrSettings settings, TimeProvider time)
        : IRequestHandler<Command, Outcome>
    {
        public async ValueTask<Outcome> Handle(Command command, CancellationToken cancellationToken)
        {
            var now = DbClock.Now(time);
            var released = await db.ExecuteAsync(ReleaseSql, cancellationToken, DbClock.Parameter("now", now));
            var retried = await db.ExecuteAsync(RetrySql, cancellationToken, DbClock.Parameter("now", now));
            var claimed = await db.QueryToListAsync<ClaimedDeliveryRow>(ClaimSql, cancellationToken,
                DbClock.Parameter("now", now),
                new DataParameter("batch", Math.Max(1, settings.Broker.WebhookDeliveryBatchSize), DataType.Int32));
            if (claimed.Count == 0)
            {
                return new Outcome(released, retried, 0, 0, 0, 0);
            }

            var cipher = await keyring.CipherAsync(cancellationToken);
            var counts = new Dictionary<string, int> { [DeliveryStatus.Success] = 0, [DeliveryStatus.Failed] = 0, [DeliveryStatus.Dead] = 0 };
            var sending = new List<Task<(ClaimedDeliveryRow Row, SendResult Result)>>();
            foreach (var row in claimed.OrderBy(r => r.CreatedAt))
            {
                if (SubscriptionSecrets.TryDecrypt(cipher, row, "broker", out var error) is not { } secrets)
                {
                    await RecordAsync(row, new Transition(DeliveryStatus.Dead, row.Attempts, null), error, counts, cancellationToken);
                    continue;
                }

                sending.Add(SendAsync(row, secrets, cancellationToken));
            }

            await foreach (var sent in Task.WhenEach(sending).WithCancellation(cancellationToken))
            {
                var (row, result) = await sent;
                WebhookMetrics.Took(result.Duration);
                var transition = DeliveryRules.After(result.IsSuccess, result.StatusCode, row.Attempts, row.MaxRetries, DbClock.Now(time));
                var error = result switch
                {
                    { IsSuccess: true } => null,
                    { StatusCode: { } code } => DeliveryRules.HttpError(code, result.Body),
                    _ => DeliveryRules.TransportError(result.TransportError ?? "unknown error"),
                };
                await RecordAsync(row, transition, error, counts, cancellationToken);
            }

            return new Outcome(released, retried, claimed.Count, counts[DeliveryStatus.Success], counts[DeliveryStatus.Failed], counts[DeliveryStatus.Dead]);
        }

        private async Task<(ClaimedDeliveryRow, SendResult)> SendAsync(ClaimedDeliveryRow row, DecryptedSecrets secrets, CancellationToken cancellationToken)
        {
            var result = await sender.SendAsync(
                new OutgoingWebhook(secrets.Url, secrets.AuthHeader, secrets.SigningSecret, row.Payload, row.EventType, row.Id, row.TimeoutSeconds),
                cancellationToken);
            return (row, result);
        }

        /// <summary>One delivery's outcome and, when it goes dead, its audit entry: committed together.</summary>
        private async Task RecordAsync(ClaimedDeliveryRow row, Transition transition, string? error, Dictionary<string, int> counts, CancellationToken cancellationToken)
        {
            await using var transaction = await db.BeginTransactionAsync(cancellationToken);
            if (await ledger.RecordAsync(row.Id, row.SubscriptionId, row.EventType, null, transition, error, DbClock.Now(time), cancellationToken))
            {
                counts[transition.Status]++;
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }
}
