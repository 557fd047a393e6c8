using Brokkr.Contracts.Audit;
using Brokkr.Shared.Auth;

namespace Brokkr.Stacks.Domain;

/// <summary>Audit entries name the real caller (the reference records generator actions as admin).</summary>
internal static class AuditActor
{
    public static AuditEntry Entry(Caller caller, string action, string resourceType, Guid? resourceId, IReadOnlyDictionary<string, object?>? details = null)
        => new(caller.Kind switch { CallerKind.Agent => "agent", CallerKind.Generator => "generator", _ => "admin" },
            caller.IsAdmin ? null : caller.Id, action, resourceType, resourceId, details);
}
