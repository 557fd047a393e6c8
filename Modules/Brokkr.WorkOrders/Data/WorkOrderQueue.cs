using Brokkr.Shared.Data;
using LinqToDB;
using LinqToDB.Data;
using LinqToDB.Mapping;

namespace Brokkr.WorkOrders.Data;

/// <summary>
/// The queue's statements that must be one statement each to stay correct with several brokers on
/// one database (ADR 0013): the claim is a conditional UPDATE, a finished order is moved to the log by
/// a DELETE … RETURNING feeding the INSERT, and maintenance skips rows another broker holds.
/// Every "now" is a parameter, from the use case's <see cref="TimeProvider"/>.
/// </summary>
internal static class WorkOrderQueue
{
    public const string ClaimTimedOut = "claim timed out";

    /// <summary>
    /// Whether work order <c>w</c> is for agent <c>@agent_id</c>: an explicit target, any label the
    /// agent carries, or any key=value pair among its annotations. No registration gate (behaviour §6).
    /// </summary>
    private const string TargetsAgent = """
        (EXISTS (SELECT 1 FROM work_order_targets t WHERE t.work_order_id = w.id AND t.agent_id = @agent_id)
         OR EXISTS (SELECT 1 FROM work_order_labels l JOIN agent_labels al ON al.label = l.label
                    WHERE l.work_order_id = w.id AND al.agent_id = @agent_id)
         OR EXISTS (SELECT 1 FROM work_order_annotations a JOIN agent_annotations aa ON aa.key = a.key AND aa.value = a.value
                    WHERE a.work_order_id = w.id AND aa.agent_id = @agent_id))
        """;

    private const string AgentIsLive = "EXISTS (SELECT 1 FROM agents ag WHERE ag.id = @agent_id AND ag.deleted_at IS NULL)";

    // Driven by the agent: its targets, labels and annotations lead through indexes to the orders
    // meant for it, so the cost follows what the agent matches, not the size of the queue.
    private const string PendingSql = $"""
        WITH matched AS (
            SELECT t.work_order_id FROM work_order_targets t WHERE t.agent_id = @agent_id
            UNION
            SELECT l.work_order_id FROM agent_labels al JOIN work_order_labels l ON l.label = al.label WHERE al.agent_id = @agent_id
            UNION
            SELECT a.work_order_id FROM agent_annotations aa JOIN work_order_annotations a ON a.key = aa.key AND a.value = aa.value
            WHERE aa.agent_id = @agent_id
        )
        SELECT w.* FROM work_orders w
        WHERE w.id IN (SELECT m.work_order_id FROM matched m)
          AND w.status = 'PENDING'
          AND (@work_type::text IS NULL OR w.work_type = @work_type::text)
          AND {AgentIsLive}
        ORDER BY w.created_at, w.id
        LIMIT @limit OFFSET @offset
        """;

    // One conditional UPDATE: a concurrent claim of the same row waits for the first to commit, then
    // re-checks status = 'PENDING' against the claimed row and updates nothing.
    private const string ClaimSql = $"""
        UPDATE work_orders w
        SET status = 'CLAIMED', claimed_by = @agent_id, claimed_at = @now
        WHERE w.id = @id
          AND w.status = 'PENDING'
          AND {AgentIsLive}
          AND {TargetsAgent}
        RETURNING w.*
        """;

    private const string LockSql = "SELECT * FROM work_orders WHERE id = @id FOR UPDATE";

    private const string LogColumns = "id, work_type, created_at, claimed_at, completed_at, claimed_by, success, retries_attempted, result_message, yaml_content";

    private const string MoveToLogSql = $"""
        WITH moved AS (
            DELETE FROM work_orders WHERE id = @id RETURNING *
        )
        INSERT INTO work_order_log ({LogColumns})
        SELECT id, work_type, created_at, claimed_at, @now, claimed_by, @success, retry_count, @message, yaml_content FROM moved
        RETURNING *
        """;

    private const string ScheduleRetrySql = """
        UPDATE work_orders
        SET status = 'RETRY_PENDING', retry_count = retry_count + 1, next_retry_after = @next_retry_after,
            claimed_by = NULL, claimed_at = NULL, last_error = @message, last_error_at = @now
        WHERE id = @id
        """;

    // Due retries go back to PENDING. A claim older than its timeout is a failed attempt (ADR 0013):
    // back to PENDING with one retry used, or to the log as failed once the retries are used up.
    // SKIP LOCKED leaves an order that is being completed right now to its completion.
    private const string MaintenanceSql = $"""
        WITH due AS (
            UPDATE work_orders SET status = 'PENDING', next_retry_after = NULL
            WHERE status = 'RETRY_PENDING' AND next_retry_after <= @now
            RETURNING id
        ),
        stale AS (
            SELECT id, retry_count, max_retries FROM work_orders
            WHERE status = 'CLAIMED' AND claimed_at + make_interval(secs => claim_timeout_seconds) < @now
            FOR UPDATE SKIP LOCKED
        ),
        exhausted AS (
            DELETE FROM work_orders w USING stale s
            WHERE w.id = s.id AND s.retry_count + 1 > s.max_retries
            RETURNING w.*
        ),
        logged AS (
            INSERT INTO work_order_log ({LogColumns})
            SELECT id, work_type, created_at, claimed_at, @now, claimed_by, false, retry_count, @timed_out, yaml_content FROM exhausted
            RETURNING id, claimed_by
        ),
        requeued AS (
            UPDATE work_orders w
            SET status = 'PENDING', claimed_by = NULL, claimed_at = NULL, retry_count = w.retry_count + 1,
                last_error = @timed_out, last_error_at = @now
            FROM stale s
            WHERE w.id = s.id AND s.retry_count + 1 <= s.max_retries
            RETURNING w.id, s.retry_count + 1 AS retry_count
        )
        SELECT 'due' AS kind, id, NULL::uuid AS agent_id, NULL::int AS retry_count FROM due
        UNION ALL
        SELECT 'requeued', id, NULL::uuid, retry_count FROM requeued
        UNION ALL
        SELECT 'failed', id, claimed_by, NULL::int FROM logged
        """;

    public static Task<List<WorkOrderRow>> PendingForAgentAsync(
        BrokkrDb db, Guid agentId, string? workType, int? limit, int offset, CancellationToken cancellationToken)
        => db.QueryToListAsync<WorkOrderRow>(
            PendingSql,
            cancellationToken,
            new DataParameter("agent_id", agentId, DataType.Guid),
            new DataParameter("work_type", workType, DataType.Text),
            new DataParameter("limit", limit, DataType.Int32),
            new DataParameter("offset", offset, DataType.Int32));

    /// <summary>The claimed order, or null when it is missing, not PENDING, or not for this agent.</summary>
    public static async Task<WorkOrderRow?> ClaimAsync(BrokkrDb db, Guid workOrderId, Guid agentId, DateTime now, CancellationToken cancellationToken)
    {
        var rows = await db.QueryToListAsync<WorkOrderRow>(
            ClaimSql,
            cancellationToken,
            new DataParameter("id", workOrderId, DataType.Guid),
            new DataParameter("agent_id", agentId, DataType.Guid),
            Timestamp("now", now));
        return rows.SingleOrDefault();
    }

    /// <summary>The active order, locked until the transaction ends, so that two completions run one after the other.</summary>
    public static async Task<WorkOrderRow?> LockAsync(BrokkrDb db, Guid workOrderId, CancellationToken cancellationToken)
    {
        var rows = await db.QueryToListAsync<WorkOrderRow>(LockSql, cancellationToken, new DataParameter("id", workOrderId, DataType.Guid));
        return rows.SingleOrDefault();
    }

    /// <summary>Moves the order to the log under its own id; null when another transaction moved it first.</summary>
    public static async Task<WorkOrderLogRow?> MoveToLogAsync(
        BrokkrDb db, Guid workOrderId, bool success, string? message, DateTime now, CancellationToken cancellationToken)
    {
        var rows = await db.QueryToListAsync<WorkOrderLogRow>(
            MoveToLogSql,
            cancellationToken,
            new DataParameter("id", workOrderId, DataType.Guid),
            new DataParameter("success", success, DataType.Boolean),
            new DataParameter("message", message, DataType.Text),
            Timestamp("now", now));
        return rows.SingleOrDefault();
    }

    public static Task<int> ScheduleRetryAsync(
        BrokkrDb db, Guid workOrderId, string message, DateTime nextRetryAfter, DateTime now, CancellationToken cancellationToken)
        => db.ExecuteAsync(
            ScheduleRetrySql,
            cancellationToken,
            new DataParameter("id", workOrderId, DataType.Guid),
            new DataParameter("message", message, DataType.Text),
            Timestamp("next_retry_after", nextRetryAfter),
            Timestamp("now", now));

    public static Task<List<MaintenanceRow>> MaintainAsync(BrokkrDb db, DateTime now, CancellationToken cancellationToken)
        => db.QueryToListAsync<MaintenanceRow>(
            MaintenanceSql,
            cancellationToken,
            new DataParameter("timed_out", ClaimTimedOut, DataType.Text),
            Timestamp("now", now));

    private static DataParameter Timestamp(string name, DateTime value)
        => new(name, DateTime.SpecifyKind(value, DateTimeKind.Utc), DataType.DateTimeOffset);
}

/// <summary>One order that maintenance changed: <c>due</c>, <c>requeued</c> (a stale claim) or <c>failed</c> (a stale claim out of retries).</summary>
internal sealed class MaintenanceRow
{
    [Column("kind")] public string Kind { get; set; } = string.Empty;
    [Column("id")] public Guid Id { get; set; }
    [Column("agent_id")] public Guid? AgentId { get; set; }
    [Column("retry_count")] public int? RetryCount { get; set; }
}
