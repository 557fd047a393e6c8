using Brokkr.Contracts.Audit;
using Brokkr.Shared.Auth;

namespace Brokkr.Generators.Domain;

/// <summary>Audit entries with the real caller as the actor (admin has no actor id).</summary>
internal static class GeneratorAudit
{
    public static AuditEntry Entry(Caller caller, string action, string resourceType, Guid? resourceId, Dictionary<string, object?>? details = null, string? via = null)
    {
        if (via is not null)
        {
            details ??= [];
            details["via"] = via;
        }

        var actorType = caller.Kind switch
        {
            CallerKind.Agent => "agent",
            CallerKind.Generator => "generator",
            _ => "admin",
        };
        return new AuditEntry(actorType, caller.IsAdmin ? null : caller.Id, action, resourceType, resourceId, details);
    }
}
