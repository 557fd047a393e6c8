using Brokkr.Shared.Configuration;
using Brokkr.Shared.Data;
using Brokkr.Shared.Jobs;
using LinqToDB;
using LinqToDB.Data;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Brokkr.Agents.Features;

/// <summary>
/// Maintenance job <c>agent-events-cleanup</c> (behaviour §12): hourly, hard-deletes agent events older
/// than <c>broker.agent_events_retention_days</c> (30). A retention of 0 keeps events for ever: the job
/// is then not registered at all, as in the reference.
/// </summary>
public static class CleanupAgentEvents
{
    public const string JobKey = "agent-events-cleanup";
    public const int DefaultBatchSize = 10_000;

    /// <summary>
    /// A request, not an <c>ICommand</c>: each batch of at most <paramref name="BatchSize"/> rows is its own
    /// statement and commits on its own, so a large backlog never holds one long transaction.
    /// </summary>
    public sealed record Command(int BatchSize = DefaultBatchSize) : IRequest<Result>;

    public sealed record Result(long Deleted, DateTime Cutoff)
    {
        public override string ToString() => $"Deleted {Deleted} agent event(s) created before {Cutoff:yyyy-MM-dd HH:mm:ss}Z";
    }

    public static void Schedule(IHostApplicationBuilder builder)
    {
        if (BrokkrSettings.From(builder.Configuration).Broker.AgentEventsRetentionDays > 0)
        {
            builder.Services.AddSingleton(new ScheduledRequest(
                JobKey,
                "Hard-deletes agent events older than broker.agent_events_retention_days (30 days).",
                _ => TimeSpan.FromHours(1),
                () => new Command()));
        }
    }

    internal sealed class Handler(BrokkrDb db, BrokkrSettings settings, TimeProvider clock) : IRequestHandler<Command, Result>
    {
        private const string DeleteBatchSql = """
            DELETE FROM agent_events
            WHERE id IN (SELECT id FROM agent_events WHERE created_at < @cutoff LIMIT @batch)
            """;

        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow();
            var days = settings.Broker.AgentEventsRetentionDays;
            if (days <= 0)
            {
                return new Result(0, DateTime.MinValue);
            }

            var cutoff = now.AddDays(-days);
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
