using Brokkr.Shared.Data;
using Brokkr.Telemetry.Domain;
using LinqToDB;
using LinqToDB.Data;
using Mediator;

namespace Brokkr.Telemetry.Features;

/// <summary>
/// The telemetry eviction job (behaviour §11, every 60 s): Kubernetes events and pod log lines
/// ingested more than 6 hours ago are deleted.
/// </summary>
public static class EvictTelemetry
{
    public const string JobKey = "telemetry-eviction";
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(60);

    public sealed record Command : ICommand<Outcome>;

    /// <summary>What one run deleted; shown on the jobs dashboard.</summary>
    public sealed record Outcome(int Events, int LogLines);

    internal sealed class Handler(BrokkrDb db, TimeProvider time) : ICommandHandler<Command, Outcome>
    {
        public async ValueTask<Outcome> Handle(Command command, CancellationToken cancellationToken)
        {
            var cutoff = new DataParameter("cutoff", time.GetUtcNow().UtcDateTime - Retention.Ceiling, DataType.DateTimeOffset);
            var events = await db.ExecuteAsync("DELETE FROM agent_k8s_events WHERE created_at < @cutoff", cancellationToken, cutoff);
            var lines = await db.ExecuteAsync("DELETE FROM agent_pod_logs WHERE created_at < @cutoff", cancellationToken, cutoff);
            return new Outcome(events, lines);
        }
    }
}
