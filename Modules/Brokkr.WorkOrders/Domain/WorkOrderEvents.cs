using Brokkr.Contracts.Realtime;
using Brokkr.Contracts.Webhooks;
using Brokkr.Shared.Data;
using Brokkr.WorkOrders.Data;
using LinqToDB;
using LinqToDB.Data;
using Mediator;

namespace Brokkr.WorkOrders.Domain;

/// <summary>
/// Webhook events and <c>work_order</c> pushes of the queue, published inside the changing transaction.
/// Pushes go to every live agent the order targets: explicit ids, labels and annotations alike.
/// </summary>
internal static class WorkOrderEvents
{
    private const string TargetedAgentsSql = """
        SELECT matched.agent_id FROM (
            SELECT t.agent_id FROM work_order_targets t WHERE t.work_order_id = @id
            UNION
            SELECT al.agent_id FROM work_order_labels l JOIN agent_labels al ON al.label = l.label WHERE l.work_order_id = @id
            UNION
            SELECT aa.agent_id FROM work_order_annotations a JOIN agent_annotations aa ON aa.key = a.key AND aa.value = a.value
            WHERE a.work_order_id = @id
        ) matched
        JOIN agents agent ON agent.id = matched.agent_id AND agent.deleted_at IS NULL
        """;

    public static async Task CreatedAsync(BrokkrDb db, IPublisher publisher, WorkOrderRow row, CancellationToken cancellationToken)
    {
        await publisher.Publish(new WebhookEvent(WebhookEventTypes.WorkOrderCreated, new Dictionary<string, object?>
        {
            ["work_order_id"] = row.Id,
            ["work_type"] = row.WorkType,
            ["status"] = row.Status,
            ["created_at"] = Utc(row.CreatedAt),
        }), cancellationToken);
        await OfferedAsync(db, publisher, row, cancellationToken);
    }

    /// <summary>The order is (again) PENDING: its agents hear of it now rather than at their next poll.</summary>
    public static async Task OfferedAsync(BrokkrDb db, IPublisher publisher, WorkOrderRow row, CancellationToken cancellationToken)
    {
        var agents = await db.QueryToListAsync<Guid>(TargetedAgentsSql, cancellationToken, new DataParameter("id", row.Id, DataType.Guid));
        if (agents.Count > 0)
        {
            await publisher.Publish(new PushToAgents(agents, WireMessageTypes.WorkOrder, row.ToContract()), cancellationToken);
        }
    }

    public static ValueTask ClaimedAsync(IPublisher publisher, WorkOrderRow row, CancellationToken cancellationToken)
        => publisher.Publish(new WebhookEvent(WebhookEventTypes.WorkOrderClaimed, new Dictionary<string, object?>
        {
            ["work_order_id"] = row.Id,
            ["work_type"] = row.WorkType,
            ["agent_id"] = row.ClaimedBy,
            ["claimed_at"] = row.ClaimedAt is { } claimedAt ? Utc(claimedAt) : null,
        }), cancellationToken);

    /// <summary><c>workorder.completed</c> or <c>workorder.failed</c>, with the log entry's real completion time.</summary>
    public static ValueTask FinishedAsync(IPublisher publisher, WorkOrderLogRow log, CancellationToken cancellationToken)
        => publisher.Publish(new WebhookEvent(log.Success ? WebhookEventTypes.WorkOrderCompleted : WebhookEventTypes.WorkOrderFailed, new Dictionary<string, object?>
        {
            ["work_order_log_id"] = log.Id,
            ["work_type"] = log.WorkType,
            ["success"] = log.Success,
            ["result_message"] = log.ResultMessage,
            ["agent_id"] = log.ClaimedBy,
            ["completed_at"] = Utc(log.CompletedAt),
        }), cancellationToken);

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
