using Mediator;

namespace Brokkr.Contracts.Audit;

/// <summary>An audit record, written in the transaction of the change it records.</summary>
public sealed record AuditEntry(
    string ActorType,
    Guid? ActorId,
    string Action,
    string ResourceType,
    Guid? ResourceId,
    IReadOnlyDictionary<string, object?>? Details = null,
    string? IpAddress = null,
    string? UserAgent = null) : INotification;
