using Brokkr.Shared.Data;
using LinqToDB.Data;

namespace Brokkr.Stacks.Domain;

/// <summary>
/// Soft-deletes a stack the one way, for <c>DELETE /stacks/{id}</c> and for a deleted generator:
/// its revisions are soft-deleted, a deletion marker is inserted with a new sequence id, and every
/// agent associated with the stack at this moment (the association view, so the rules are those of
/// target state) is recorded as owed that marker (compatibility.md, "Fix on purpose").
/// </summary>
internal static class StackDeletion
{
    // One statement: the sibling CTEs see the same snapshot, so the association is taken as it
    // was before the delete, and a concurrent delete of the same stack finds nothing to update.
    // Deliveries past the agent-event retention are never served again; each deletion sweeps
    // them, so the table stays bounded by what deletions add without a scheduled job.
    private const string Sql = """
        WITH stack AS (
            UPDATE stacks SET deleted_at = @deleted_at
            WHERE id = @stack_id AND deleted_at IS NULL
            RETURNING id
        ),
        revisions AS (
            UPDATE deployment_objects SET deleted_at = @deleted_at
            WHERE stack_id = @stack_id AND deleted_at IS NULL AND EXISTS (SELECT 1 FROM stack)
        ),
        marker AS (
            INSERT INTO deployment_objects (id, stack_id, yaml_content, yaml_checksum, submitted_at, is_deletion_marker)
            SELECT @marker_id, stack.id, '', @checksum, @deleted_at, true FROM stack
            RETURNING id
        ),
        deliveries AS (
            INSERT INTO stack_deletion_deliveries (stack_id, agent_id, marker_id)
            SELECT @stack_id, association.agent_id, marker.id
            FROM stack_agent_associations association
            JOIN agents agent ON agent.id = association.agent_id AND agent.deleted_at IS NULL
            CROSS JOIN marker
            WHERE association.stack_id = @stack_id
            ON CONFLICT (agent_id, stack_id) DO NOTHING
        ),
        expired AS (
            DELETE FROM stack_deletion_deliveries
            WHERE created_at < now() - make_interval(days => @retention_days)
        )
        SELECT count(*)::int FROM stack
        """;

    /// <summary>False when the stack was already deleted (or never existed).</summary>
    public static async Task<bool> DeleteAsync(BrokkrDb db, Guid stackId, DateTime deletedAt, int retentionDays, CancellationToken cancellationToken)
    {
        var deleted = await db.ExecuteAsync<int>(
            Sql,
            cancellationToken,
            new DataParameter("stack_id", stackId, LinqToDB.DataType.Guid),
            new DataParameter("marker_id", Guid.CreateVersion7(), LinqToDB.DataType.Guid),
            new DataParameter("checksum", Checksum.DeletionMarker, LinqToDB.DataType.Text),
            new DataParameter("deleted_at", DateTime.SpecifyKind(deletedAt, DateTimeKind.Utc), LinqToDB.DataType.DateTimeOffset),
            new DataParameter("retention_days", Math.Max(retentionDays, 1), LinqToDB.DataType.Int32));
        return deleted == 1;
    }
}
