using Brokkr.Contracts.Audit;
using Brokkr.Shared.Auth;

namespace Brokkr.Generators.Domain;

/// <summary>Audit entries of the Generators module: the caller as the actor, and <c>details.via</c> for the host commands.</summary>
internal static class GeneratorAudit
{
    public static AuditEntry Entry(Caller caller, string action, string resourceType, Guid? resourceId, Dictionary<string, object?>? details = null, string? via = null)
    {
        if (via is not null)
        {
            details ??= [];
            details["via"] = via;
        }

        return new AuditEntry(caller.ActorType, caller.ActorId, action, resourceType, resourceId, details);
    }
}
