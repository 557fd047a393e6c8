using Brokkr.Diagnostics.Domain;
using Brokkr.Shared.Configuration;
using Brokkr.Shared.Data;
using LinqToDB.Data;
using Mediator;

namespace Brokkr.Diagnostics.Features;

/// <summary>
/// The diagnostic cleanup job (behaviour §8, every <c>diagnostic_cleanup_interval_seconds</c>):
/// pending requests past their expiry become <c>expired</c>, claimed ones <c>failed</c> (an agent
/// that claimed and never answered); then finished requests older than
/// <c>diagnostic_max_age_hours</c> are deleted with their results.
/// </summary>
public static class CleanupDiagnostics
{
    public const string JobKey = "diagnostic-cleanup";

    public sealed record Command : ICommand<Outcome>;

    /// <summary>What one run did; shown on the jobs dashboard.</summary>
    public sealed record Outcome(int Expired, int Failed, int Deleted);

    private const string ExpireSql = """
        UPDATE diagnostic_requests SET status = 'expired'
        WHERE status = 'pending' AND expires_at <= @now
        """;

    private const string FailSql = """
        UPDATE diagnostic_requests SET status = 'failed', completed_at = @now
        WHERE status = 'claimed' AND expires_at <= @now
        """;

    private const string DeleteSql = """
        DELETE FROM diagnostic_requests
        WHERE status IN ('completed', 'failed', 'expired') AND created_at < @cutoff
        """;

    internal sealed class Handler(BrokkrDb db, TimeProvider time, BrokkrSettings settings) : ICommandHandler<Command, Outcome>
    {
        public async ValueTask<Outcome> Handle(Command command, CancellationToken cancellationToken)
        {
            var now = DbClock.Now(time);
            var expired = await db.ExecuteAsync(ExpireSql, cancellationToken, DbClock.Parameter("now", now));
            var failed = await db.ExecuteAsync(FailSql, cancellationToken, DbClock.Parameter("now", now));
            var cutoff = now.AddHours(-Math.Max(0, settings.Broker.DiagnosticMaxAgeHours));
            var deleted = await db.ExecuteAsync(DeleteSql, cancellationToken, DbClock.Parameter("cutoff", cutoff));
            return new Outcome(expired, failed, deleted);
        }
    }
}
