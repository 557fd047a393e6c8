using Brokkr.Contracts.Realtime;
using Brokkr.Contracts.Stacks;
using Brokkr.Contracts.Webhooks;
using Brokkr.Shared.Data;
using Brokkr.Stacks.Api;
using Brokkr.Stacks.Data;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using Mediator;

namespace Brokkr.Stacks.Domain;

/// <summary>
/// What other modules hear when a stack or its revisions change, published inside the changing
/// transaction: webhook events (the outbox) and <c>stack_changed</c> pushes to every agent associated
/// with the stack, label and annotation matches included.
/// </summary>
internal static class StackEvents
{
    private const string AssociatedAgentsSql = """
        SELECT DISTINCT association.agent_id
        FROM stack_agent_associations association
        JOIN agents agent ON agent.id = association.agent_id AND agent.deleted_at IS NULL
        WHERE association.stack_id = @stack_id
        """;

    private const string OwedMarkerSql = "SELECT agent_id FROM stack_deletion_deliveries WHERE stack_id = @stack_id";

    public static ValueTask StackCreatedAsync(IPublisher publisher, StackRow row, CancellationToken cancellationToken)
        => publisher.Publish(new WebhookEvent(WebhookEventTypes.StackCreated, new Dictionary<string, object?>
        {
            ["stack_id"] = row.Id,
            ["name"] = row.Name,
            ["description"] = row.Description,
            ["created_at"] = Utc(row.CreatedAt),
        }), cancellationToken);

    public static async Task RevisionCreatedAsync(BrokkrDb db, IPublisher publisher, DeploymentObject revision, CancellationToken cancellationToken)
    {
        var data = new Dictionary<string, object?>
        {
            ["deployment_object_id"] = revision.Id,
            ["stack_id"] = revision.StackId,
        };
        if (revision.IsDeletionMarker)
        {
            data["deleted_at"] = revision.CreatedAt;
            await publisher.Publish(new WebhookEvent(WebhookEventTypes.DeploymentDeleted, data), cancellationToken);
        }
        else
        {
            data["sequence_id"] = revision.SequenceId;
            data["created_at"] = revision.CreatedAt;
            await publisher.Publish(new WebhookEvent(WebhookEventTypes.DeploymentCreated, data), cancellationToken);
        }

        var agents = await db.QueryToListAsync<Guid>(AssociatedAgentsSql, cancellationToken, StackParameter(revision.StackId));
        await PushStackChangedAsync(db, publisher, revision.StackId, agents, cancellationToken);
    }

    /// <summary>After <see cref="StackDeletion.DeleteAsync"/>: the agents owed the marker hear of it at once.</summary>
    public static async Task StackDeletedAsync(BrokkrDb db, IPublisher publisher, Guid stackId, CancellationToken cancellationToken)
    {
        var stack = await db.GetTable<StackRow>().FirstAsync(s => s.Id == stackId, cancellationToken);
        await publisher.Publish(new WebhookEvent(WebhookEventTypes.StackDeleted, new Dictionary<string, object?>
        {
            ["stack_id"] = stack.Id,
            ["deleted_at"] = stack.DeletedAt is { } deletedAt ? Utc(deletedAt) : null,
        }), cancellationToken);
        var agents = await db.QueryToListAsync<Guid>(OwedMarkerSql, cancellationToken, StackParameter(stackId));
        if (agents.Count > 0)
        {
            await publisher.Publish(new PushToAgents(agents, WireMessageTypes.StackChanged, Stack.From(stack)), cancellationToken);
        }
    }

    private static async Task PushStackChangedAsync(BrokkrDb db, IPublisher publisher, Guid stackId, IReadOnlyCollection<Guid> agents, CancellationToken cancellationToken)
    {
        if (agents.Count == 0)
        {
            return;
        }

        var stack = await db.GetTable<StackRow>().FirstAsync(s => s.Id == stackId, cancellationToken);
        await publisher.Publish(new PushToAgents(agents, WireMessageTypes.StackChanged, Stack.From(stack)), cancellationToken);
    }

    private static DataParameter StackParameter(Guid stackId) => new("stack_id", stackId, DataType.Guid);

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
