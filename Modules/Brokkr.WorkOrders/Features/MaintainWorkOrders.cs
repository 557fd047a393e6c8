using Brokkr.Contracts.Audit;
using Brokkr.Shared.Data;
using Brokkr.WorkOrders.Data;
using Brokkr.WorkOrders.Domain;
using LinqToDB;
using LinqToDB.Async;
using Mediator;

namespace Brokkr.WorkOrders.Features;

/// <summary>
/// The work-order maintenance job (every <c>work_order_maintenance_interval_seconds</c>): due retries
/// become PENDING again; a claim held past its <c>claim_timeout_seconds</c> counts as a failed
/// attempt, so the order is offered again with one retry used, or logged as failed ("claim timed
/// out") once its retries are used up (ADR 0013; the reference re-offered it forever).
/// </summary>
public static class MaintainWorkOrders
{
    public sealed record Command : ICommand<Result>;

    /// <summary>What one run changed.</summary>
    public sealed record Result(IReadOnlyList<Guid> RetriesDue, IReadOnlyList<Guid> StaleClaimsRequeued, IReadOnlyList<Guid> StaleClaimsFailed)
    {
        public override string ToString()
            => $"{RetriesDue.Count} retries due, {StaleClaimsRequeued.Count} stale claims offered again, {StaleClaimsFailed.Count} stale claims failed";
    }

    internal sealed class Handler(BrokkrDb db, TimeProvider time, IPublisher publisher) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var changed = await WorkOrderQueue.MaintainAsync(db, time.GetUtcNow().UtcDateTime, cancellationToken);
            foreach (var row in changed.Where(r => r.Kind != "due"))
            {
                var failed = row.Kind == "failed";
                var details = failed
                    ? new Dictionary<string, object?> { ["retryable"] = false, ["reason"] = WorkOrderQueue.ClaimTimedOut }
                    : new Dictionary<string, object?> { ["retry_count"] = row.RetryCount, ["reason"] = WorkOrderQueue.ClaimTimedOut };
                await publisher.Publish(
                    new AuditEntry("system", null, failed ? "workorder.failed" : "workorder.retry", "work_order", row.Id, details), cancellationToken);
            }

            var failedIds = Ids(changed, "failed");
            if (failedIds.Count > 0)
            {
                foreach (var log in await db.GetTable<WorkOrderLogRow>().Where(l => failedIds.Contains(l.Id)).ToListAsync(cancellationToken))
                {
                    await WorkOrderEvents.FinishedAsync(publisher, log, cancellationToken);
                }
            }

            var offered = changed.Where(r => r.Kind != "failed").Select(r => r.Id).ToList();
            if (offered.Count > 0)
            {
                foreach (var order in await db.GetTable<WorkOrderRow>().Where(w => offered.Contains(w.Id)).ToListAsync(cancellationToken))
                {
                    await WorkOrderEvents.OfferedAsync(db, publisher, order, cancellationToken);
                }
            }

            return new Result(Ids(changed, "due"), Ids(changed, "requeued"), failedIds);
        }

        private static List<Guid> Ids(List<MaintenanceRow> rows, string kind) => rows.Where(r => r.Kind == kind).Select(r => r.Id).ToList();
    }
}
