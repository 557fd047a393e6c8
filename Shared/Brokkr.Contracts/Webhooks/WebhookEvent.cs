using Mediator;

namespace Brokkr.Contracts.Webhooks;

/// <summary>The reference's twelve webhook event types (behaviour §7), in its order.</summary>
public static class WebhookEventTypes
{
    public const string AgentRegistered = "agent.registered";
    public const string AgentDeregistered = "agent.deregistered";
    public const string StackCreated = "stack.created";
    public const string StackDeleted = "stack.deleted";
    public const string DeploymentCreated = "deployment.created";
    public const string DeploymentApplied = "deployment.applied";
    public const string DeploymentFailed = "deployment.failed";
    public const string DeploymentDeleted = "deployment.deleted";
    public const string WorkOrderCreated = "workorder.created";
    public const string WorkOrderClaimed = "workorder.claimed";
    public const string WorkOrderCompleted = "workorder.completed";
    public const string WorkOrderFailed = "workorder.failed";

    /// <summary>Sent only by <c>POST /webhooks/{id}/test</c>.</summary>
    public const string Test = "webhook.test";

    public static readonly IReadOnlyList<string> All =
    [
        AgentRegistered, AgentDeregistered, StackCreated, StackDeleted,
        DeploymentCreated, DeploymentApplied, DeploymentFailed, DeploymentDeleted,
        WorkOrderCreated, WorkOrderClaimed, WorkOrderCompleted, WorkOrderFailed,
    ];
}

/// <summary>
/// Something webhook subscribers may want to hear about. Published inside the transaction of the change
/// that caused it: the webhooks module writes one delivery per matching subscription in that same
/// transaction (the outbox), so an accepted change never loses its event and a rolled-back change
/// never sends one. <paramref name="Data"/> becomes the payload's <c>data</c> object (keys as on the
/// wire, snake_case; values serialized with the broker's JSON options).
/// </summary>
public sealed record WebhookEvent(string EventType, IReadOnlyDictionary<string, object?> Data) : INotification;
