using Brokkr.Contracts.Telemetry;
using Brokkr.Shared.Data;
using Brokkr.Telemetry.Domain;
using LinqToDB;
using LinqToDB.Data;
using Mediator;

namespace Brokkr.Telemetry.Handlers;

/// <summary>
/// Stores forwarded Kubernetes events, a batch per statement. <c>created_at</c> is the broker's
/// clock (the retention counts from ingestion); rows naming a missing or deleted stack or agent are
/// skipped, so one stale frame cannot fail the others.
/// </summary>
internal sealed class AppendK8sEventsHandler(BrokkrDb db, TimeProvider time) : ICommandHandler<AppendK8sEvents, int>
{
    private const string Sql = """
        INSERT INTO agent_k8s_events (agent_id, stack_id, observed_at, reason, message, event_type, source, involved_object, created_at)
        SELECT e.agent_id, e.stack_id, e.observed_at, e.reason, e.message, e.event_type, e.source, e.involved_object::jsonb, @created_at
        FROM unnest(@agent_ids::uuid[], @stack_ids::uuid[], @observed_at::timestamptz[], @reasons::text[], @messages::text[],
                    @event_types::text[], @sources::text[], @involved_objects::text[])
            AS e (agent_id, stack_id, observed_at, reason, message, event_type, source, involved_object)
        WHERE EXISTS (SELECT 1 FROM stacks s WHERE s.id = e.stack_id AND s.deleted_at IS NULL)
          AND EXISTS (SELECT 1 FROM agents a WHERE a.id = e.agent_id AND a.deleted_at IS NULL)
        """;

    public async ValueTask<int> Handle(AppendK8sEvents command, CancellationToken cancellationToken)
    {
        var events = command.Events;
        if (events.Count == 0)
        {
            return 0;
        }

        return await db.ExecuteAsync(Sql, cancellationToken,
            TelemetryBatch.Timestamp("created_at", time),
            new DataParameter("agent_ids", events.Select(e => e.AgentId).ToArray()),
            new DataParameter("stack_ids", events.Select(e => e.StackId).ToArray()),
            new DataParameter("observed_at", events.Select(e => TelemetryBatch.Utc(e.ObservedAt)).ToArray()),
            new DataParameter("reasons", events.Select(e => StorableText.Of(e.Reason)).ToArray()),
            new DataParameter("messages", events.Select(e => StorableText.Of(e.Message)).ToArray()),
            new DataParameter("event_types", events.Select(e => StorableText.Of(e.EventType)).ToArray()),
            new DataParameter("sources", events.Select(e => StorableText.OfNullable(e.Source)).ToArray()),
            new DataParameter("involved_objects", events.Select(e => StorableText.Json(e.InvolvedObject)).ToArray()));
    }
}

/// <summary>Stores forwarded pod log lines, a batch per statement, as <see cref="AppendK8sEventsHandler"/> does events.</summary>
internal sealed class AppendPodLogLinesHandler(BrokkrDb db, TimeProvider time) : ICommandHandler<AppendPodLogLines, int>
{
    private const string Sql = """
        INSERT INTO agent_pod_logs (agent_id, stack_id, namespace, pod, container, ts, line, created_at)
        SELECT l.agent_id, l.stack_id, l.namespace, l.pod, l.container, l.ts, l.line, @created_at
        FROM unnest(@agent_ids::uuid[], @stack_ids::uuid[], @namespaces::text[], @pods::text[], @containers::text[],
                    @ts::timestamptz[], @lines::text[])
            AS l (agent_id, stack_id, namespace, pod, container, ts, line)
        WHERE EXISTS (SELECT 1 FROM stacks s WHERE s.id = l.stack_id AND s.deleted_at IS NULL)
          AND EXISTS (SELECT 1 FROM agents a WHERE a.id = l.agent_id AND a.deleted_at IS NULL)
        """;

    public async ValueTask<int> Handle(AppendPodLogLines command, CancellationToken cancellationToken)
    {
        var lines = command.Lines;
        if (lines.Count == 0)
        {
            return 0;
        }

        return await db.ExecuteAsync(Sql, cancellationToken,
            TelemetryBatch.Timestamp("created_at", time),
            new DataParameter("agent_ids", lines.Select(l => l.AgentId).ToArray()),
            new DataParameter("stack_ids", lines.Select(l => l.StackId).ToArray()),
            new DataParameter("namespaces", lines.Select(l => StorableText.Of(l.Namespace)).ToArray()),
            new DataParameter("pods", lines.Select(l => StorableText.Of(l.Pod)).ToArray()),
            new DataParameter("containers", lines.Select(l => StorableText.Of(l.Container)).ToArray()),
            new DataParameter("ts", lines.Select(l => TelemetryBatch.Utc(l.Ts)).ToArray()),
            new DataParameter("lines", lines.Select(l => StorableText.Of(l.Line)).ToArray()));
    }
}

internal static class TelemetryBatch
{
    public static DateTime Utc(DateTime value) => value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);

    public static DataParameter Timestamp(string name, TimeProvider time)
        => new(name, time.GetUtcNow().UtcDateTime, DataType.DateTimeOffset);
}
