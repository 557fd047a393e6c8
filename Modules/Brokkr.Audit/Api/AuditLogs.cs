using System.Text.Json;
using System.Text.Json.Serialization;

namespace Brokkr.Audit.Api;

/// <summary>
/// An audit record with the name of its actor, resolved when read: the agent's or generator's
/// name, <c>"admin"</c>, <c>"system"</c>, or null when the actor no longer exists. <c>ip_address</c> and
/// <c>user_agent</c> are left out when unset (details §1.1); only <c>auth.failed</c> entries carry them.
/// </summary>
public sealed record AuditLogEntry(
    Guid Id,
    DateTime Timestamp,
    string ActorType,
    Guid? ActorId,
    string Action,
    string ResourceType,
    Guid? ResourceId,
    JsonElement? Details,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? IpAddress,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? UserAgent,
    DateTime CreatedAt,
    string? ActorName);

/// <summary>A page of audit entries: <c>total</c> matching entries, <c>count</c> on this page, and the <c>limit</c> and <c>offset</c> used.</summary>
public sealed record AuditLogListResponse(IReadOnlyList<AuditLogEntry> Logs, long Total, int Count, long Limit, long Offset);
