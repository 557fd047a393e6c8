using Mediator;

namespace Brokkr.Contracts.Webhooks;

/// <summary>
/// Several <see cref="WebhookEvent"/>s of one transaction, published at once by a writer that stores many
/// changes per transaction (the agent event writer, ADR 0031): the webhooks module writes the deliveries of
/// all of them with one statement instead of one per event. Same outbox rules and same deliveries as
/// publishing each <see cref="WebhookEvent"/> on its own.
/// </summary>
public sealed record WebhookEvents(IReadOnlyList<WebhookEvent> Events) : INotification;
