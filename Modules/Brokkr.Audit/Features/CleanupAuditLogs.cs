using Brokkr.Shared.Configuration;
using Brokkr.Shared.Data;
using Brokkr.Shared.Jobs;
using LinqToDB;
using LinqToDB.Data;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Brokkr.Audit.Features;

/// <summary>
/// Maintenance job <c>audit-log-cleanup</c> (behaviour §12): daily, deletes audit entries older than
/// <c>broker.audit_log_retention_days</c> (90). A retention of 0 or less deletes nothing.
/// </summary>
public static class CleanupAuditLogs
{
    public const string JobKey = "audit-log-cleanup";
    public const int DefaultBatchSize = 10_000;

    /// <summary>
    /// A request, not an <c>ICommand</c>: each batch of at most <paramref name="BatchSize"/> rows is its own
    /// statement and commits on its own, so a large backlog never holds one long transaction.
    /// </summary>
    public sealed record Command(int BatchSize = DefaultBatchSize) : IRequest<Result>;

    public sealed record Result(long Deleted, DateTime Cutoff)
    {
        public override string ToString() => $"Deleted {Deleted} audit log entr{(Deleted == 1 ? "y" : "ies")} older than {Cutoff:yyyy-MM-dd HH:mm:ss}Z";
    }

    public static void Schedule(IHostApplicationBuilder builder)
        => builder.Services.AddSingleton(new ScheduledRequest(
            JobKey,
            "Deletes audit log entries older than broker.audit_log_retention_days (90 days).",
            _ => TimeSpan.FromDays(1),
            () => new Command()));

    internal sealed class Handler(BrokkrDb db, BrokkrSettings settings, TimeProvider clock) : IRequestHandler<Command, Result>
    {
        private const string DeleteBatchSql = """
            DELETE FROM audit_logs
            WHERE id IN (SELECT id FROM audit_logs WHERE "timestamp" < @cutoff LIMIT @batch)
            """;

        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var days = settings.Broker.AuditLogRetentionDays;
            if (days <= 0)
            {
                return new Result(0, DateTime.MinValue);
            }

            var cutoff = clock.GetUtcNow().AddDays(-days);
            var batch = Math.Clamp(command.BatchSize, 1, 100_000);
            long deleted = 0;
            int affected;
            do
            {
                affected = await db.ExecuteAsync(DeleteBatchSql, cancellationToken,
                    new DataParameter("cutoff", cutoff, DataType.DateTimeOffset),
                    new DataParameter("batch", batch, DataType.Int32));
                deleted += affected;
            }
            while (affected == batch);

            return new Result(deleted, cutoff.UtcDateTime);
        }
    }
}
