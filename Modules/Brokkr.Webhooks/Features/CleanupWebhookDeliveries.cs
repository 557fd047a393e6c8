using Brokkr.Shared.Configuration;
using Brokkr.Shared.Data;
using Brokkr.Webhooks.Domain;
using LinqToDB;
using LinqToDB.Data;
using Mediator;

namespace Brokkr.Webhooks.Features;

/// <summary>
/// The webhook cleanup job (behaviour §12, hourly): deletes <c>success</c> and <c>dead</c> deliveries
/// created more than <c>webhook_cleanup_retention_days</c> ago (re-read every run), a batch per
/// statement so no run holds long locks; <c>pending</c>, <c>acquired</c> and <c>failed</c> ones stay.
/// </summary>
public static class CleanupWebhookDeliveries
{
    public const string JobKey = "webhook-cleanup";
    public const int BatchSize = 1000;

    public sealed record Command : IRequest<Outcome>;

    public sealed record Outcome(int Deleted);

    private const string DeleteSql = """
        DELETE FROM webhook_deliveries
        WHERE id IN (
            SELECT id FROM webhook_deliveries
            WHERE status IN ('success', 'dead') AND created_at < @cutoff
            LIMIT @batch
            FOR UPDATE SKIP LOCKED)
        """;

    internal sealed class Handler(BrokkrDb db, BrokkrSettings settings, TimeProvider time) : IRequestHandler<Command, Outcome>
    {
        public async ValueTask<Outcome> Handle(Command command, CancellationToken cancellationToken)
        {
            var cutoff = DbClock.Now(time).AddDays(-Math.Max(0, settings.Broker.WebhookCleanupRetentionDays));
            var total = 0;
            int deleted;
            do
            {
                deleted = await db.ExecuteAsync(DeleteSql, cancellationToken,
                    DbClock.Parameter("cutoff", cutoff), new DataParameter("batch", BatchSize, DataType.Int32));
                total += deleted;
            }
            while (deleted == BatchSize);

            return new Outcome(total);
        }
    }
}
