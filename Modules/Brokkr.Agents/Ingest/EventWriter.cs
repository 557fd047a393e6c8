using Brokkr.Contracts.Agents;
using Brokkr.Contracts.Webhooks;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using LinqToDB;
using LinqToDB.Data;
using LinqToDB.Mapping;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agents.Ingest;

/// <summary>An agent's events from one request, stored all or none (one event for the single route and the WebSocket).</summary>
internal sealed record AgentEventBatch(Guid AgentId, IReadOnlyList<NewAgentEvent> Events);

/// <summary>
/// Agent events of every request in flight, written in groups: one multi-row INSERT and one commit per
/// batch, with the <c>deployment.applied</c>/<c>deployment.failed</c> webhook outbox rows (ADR 0028) in
/// that same transaction, published as one <see cref="WebhookEvents"/> per batch. A request whose agent
/// or deployment object does not exist gets 422 <c>foreign_key_violation</c> and none of its events
/// stored; the other requests of the batch are.
/// </summary>
internal sealed class EventWriter(IServiceScopeFactory scopes, ILogger<EventWriter> logger)
    : GroupCommit<AgentEventBatch, IReadOnlyList<AgentEvent>>(scopes, logger, capacity: 10_000, maxWeight: 5_000)
{
    public const int MaxEventTypeLength = 50;
    public const int MaxStatusLength = 10;

    // The references are checked first so that one request's unknown deployment object refuses that
    // request only (a foreign-key violation would fail the whole statement); the constraints still hold
    // against a concurrent delete, whose violation makes the batch go one request at a time.
    private const string InsertSql = """
        WITH input AS (
            SELECT i.*,
                   EXISTS (SELECT 1 FROM agents a WHERE a.id = i.agent_id) AS agent_ok,
                   EXISTS (SELECT 1 FROM deployment_objects d WHERE d.id = i.deployment_object_id) AS object_ok
            FROM unnest(@ids::uuid[], @requests::integer[], @agents::uuid[], @objects::uuid[], @event_types::text[], @statuses::text[], @messages::text[])
                AS i (id, request, agent_id, deployment_object_id, event_type, status, message)),
        refused AS (
            SELECT DISTINCT request FROM input WHERE NOT (agent_ok AND object_ok)),
        inserted AS (
            INSERT INTO agent_events (id, agent_id, deployment_object_id, event_type, status, message)
            SELECT id, agent_id, deployment_object_id, event_type, status, message
            FROM input
            WHERE request NOT IN (SELECT request FROM refused)
            ORDER BY id
            RETURNING *)
        SELECT input.id, input.agent_ok, input.object_ok, inserted.created_at, inserted.updated_at, d.stack_id
        FROM input
        LEFT JOIN inserted ON inserted.id = input.id
        LEFT JOIN deployment_objects d ON d.id = input.deployment_object_id
        """;

    protected override int Weight(AgentEventBatch item) => Math.Max(1, item.Events.Count);

    protected override async Task<Outcome[]> WriteAsync(IServiceProvider services, IReadOnlyList<AgentEventBatch> items, CancellationToken cancellationToken)
    {
        var count = items.Sum(i => i.Events.Count);
        var ids = new Guid[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = Guid.CreateVersion7();
        }

        // Events of one batch share created_at (the transaction's time); sorted version-7 ids keep
        // "newest first" (created_at, id) in the order the events were reported.
        Array.Sort(ids);
        var requests = new int[count];
        var agents = new Guid[count];
        var flat = new NewAgentEvent[count];
        var n = 0;
        for (var r = 0; r < items.Count; r++)
        {
            foreach (var e in items[r].Events)
            {
                requests[n] = r;
                agents[n] = items[r].AgentId;
                flat[n] = e;
                n++;
            }
        }

        var db = services.GetRequiredService<BrokkrDb>();
        var publisher = services.GetRequiredService<IPublisher>();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var rows = (await db.QueryToListAsync<InsertedEvent>(InsertSql, cancellationToken,
                new DataParameter("ids", ids),
                new DataParameter("requests", requests),
                new DataParameter("agents", agents),
                new DataParameter("objects", flat.Select(e => e.DeploymentObjectId).ToArray()),
                new DataParameter("event_types", flat.Select(e => e.EventType).ToArray()),
                new DataParameter("statuses", flat.Select(e => e.Status).ToArray()),
                new DataParameter("messages", flat.Select(e => e.Message).ToArray())))
            .ToDictionary(r => r.Id);

        var outcomes = new Outcome[items.Count];
        var webhookEvents = new List<WebhookEvent>();
        n = 0;
        for (var r = 0; r < items.Count; r++)
        {
            var stored = new List<AgentEvent>(items[r].Events.Count);
            Exception? refusal = null;
            foreach (var e in items[r].Events)
            {
                var row = rows[ids[n]];
                if (row.CreatedAt is { } createdAt)
                {
                    stored.Add(new AgentEvent(row.Id, Utc(createdAt), Utc(row.UpdatedAt!.Value), null, agents[n], e.DeploymentObjectId, e.EventType, e.Status, e.Message));
                }
                else
                {
                    refusal ??= Refusal(row);
                }

                n++;
            }

            outcomes[r] = refusal is null ? Outcome.Of(stored) : Outcome.Failed(refusal);
            if (refusal is null)
            {
                foreach (var e in stored)
                {
                    if (OutcomeEvent(e, rows[e.Id].StackId) is { } webhookEvent)
                    {
                        webhookEvents.Add(webhookEvent);
                    }
                }
            }
        }

        // One notification for the whole batch: the outbox writes every delivery with one statement.
        if (webhookEvents.Count > 0)
        {
            await publisher.Publish(new WebhookEvents(webhookEvents), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return outcomes;
    }

    /// <summary>The single route's answer for this request: the constraint the database checks first.</summary>
    private static ApiException Refusal(InsertedEvent row)
        => ApiException.Unprocessable("foreign_key_violation", "A referenced record does not exist", new Dictionary<string, object?>
        {
            ["constraint"] = row.AgentOk ? "agent_events_deployment_object_id_fkey" : "agent_events_agent_id_fkey",
        });

    /// <summary>The <c>deployment.applied</c>/<c>deployment.failed</c> webhook event of a stored outcome; null for any other status.</summary>
    private static WebhookEvent? OutcomeEvent(AgentEvent stored, Guid? stackId)
    {
        var webhookType = stored.Status.ToUpperInvariant() switch
        {
            "SUCCESS" => WebhookEventTypes.DeploymentApplied,
            "FAILURE" => WebhookEventTypes.DeploymentFailed,
            _ => null,
        };
        if (webhookType is null)
        {
            return null;
        }

        return new WebhookEvent(webhookType, new Dictionary<string, object?>
        {
            ["agent_event_id"] = stored.Id,
            ["agent_id"] = stored.AgentId,
            ["deployment_object_id"] = stored.DeploymentObjectId,
            ["stack_id"] = stackId,
            ["event_type"] = stored.EventType,
            ["status"] = stored.Status,
            ["message"] = stored.Message,
            ["created_at"] = stored.CreatedAt,
        });
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private sealed class InsertedEvent
    {
        [Column("id")] public Guid Id { get; set; }
        [Column("agent_ok")] public bool AgentOk { get; set; }
        [Column("object_ok")] public bool ObjectOk { get; set; }
        [Column("created_at")] public DateTime? CreatedAt { get; set; }
        [Column("updated_at")] public DateTime? UpdatedAt { get; set; }
        [Column("stack_id")] public Guid? StackId { get; set; }
    }
}
