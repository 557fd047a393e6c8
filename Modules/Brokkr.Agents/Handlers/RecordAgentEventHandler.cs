using Brokkr.Contracts.Agents;
using Brokkr.Contracts.Webhooks;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Text;
using LinqToDB;
using LinqToDB.Data;
using LinqToDB.Mapping;
using Mediator;

namespace Brokkr.Agents.Handlers;

/// <summary>
/// Stores an agent event and, for a deployment outcome, the <c>deployment.applied</c> or
/// <c>deployment.failed</c> webhook event, in one transaction: REST and WebSocket reports alike.
/// </summary>
internal sealed class RecordAgentEventHandler(BrokkrDb db, IPublisher publisher) : ICommandHandler<RecordAgentEvent, AgentEvent>
{
    public const int MaxEventTypeLength = 50;
    public const int MaxStatusLength = 10;

    // One round trip: the insert, and the revision's stack for the webhook payload.
    private const string InsertSql = """
        WITH inserted AS (
            INSERT INTO agent_events (id, agent_id, deployment_object_id, event_type, status, message)
            VALUES (@id, @agent, @object, @event_type, @status, @message)
            RETURNING *)
        SELECT inserted.*, d.stack_id
        FROM inserted LEFT JOIN deployment_objects d ON d.id = inserted.deployment_object_id
        """;

    public async ValueTask<AgentEvent> Handle(RecordAgentEvent command, CancellationToken cancellationToken)
    {
        var body = command.Event;
        if (!WireText.Fits(body.EventType, MaxEventTypeLength)
            || !WireText.Fits(body.Status, MaxStatusLength)
            || !WireText.IsStorable(body.Message))
        {
            throw ApiException.BadRequest("invalid_agent_event",
                $"event_type must be at most {MaxEventTypeLength} characters and status at most {MaxStatusLength}, without NUL characters");
        }

        var rows = await db.QueryToListAsync<InsertedEvent>(InsertSql, cancellationToken,
            new DataParameter("id", Guid.CreateVersion7(), DataType.Guid),
            new DataParameter("agent", command.AgentId, DataType.Guid),
            new DataParameter("object", body.DeploymentObjectId, DataType.Guid),
            new DataParameter("event_type", body.EventType, DataType.NVarChar),
            new DataParameter("status", body.Status, DataType.NVarChar),
            new DataParameter("message", body.Message, DataType.Text));
        var row = rows[0];
        var stored = new AgentEvent(row.Id, Utc(row.CreatedAt), Utc(row.UpdatedAt), null, row.AgentId, row.DeploymentObjectId, row.EventType, row.Status, row.Message);

        var webhookType = row.Status.ToUpperInvariant() switch
        {
            "SUCCESS" => WebhookEventTypes.DeploymentApplied,
            "FAILURE" => WebhookEventTypes.DeploymentFailed,
            _ => null,
        };
        if (webhookType is not null)
        {
            await publisher.Publish(new WebhookEvent(webhookType, new Dictionary<string, object?>
            {
                ["agent_event_id"] = stored.Id,
                ["agent_id"] = stored.AgentId,
                ["deployment_object_id"] = stored.DeploymentObjectId,
                ["stack_id"] = row.StackId,
                ["event_type"] = stored.EventType,
                ["status"] = stored.Status,
                ["message"] = stored.Message,
                ["created_at"] = stored.CreatedAt,
            }), cancellationToken);
        }

        return stored;
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private sealed class InsertedEvent
    {
        [Column("id")] public Guid Id { get; set; }
        [Column("created_at")] public DateTime CreatedAt { get; set; }
        [Column("updated_at")] public DateTime UpdatedAt { get; set; }
        [Column("agent_id")] public Guid AgentId { get; set; }
        [Column("deployment_object_id")] public Guid DeploymentObjectId { get; set; }
        [Column("event_type")] public string EventType { get; set; } = "";
        [Column("status")] public string Status { get; set; } = "";
        [Column("message")] public string? Message { get; set; }
        [Column("stack_id")] public Guid? StackId { get; set; }
    }
}
