using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Telemetry.Data;
using LinqToDB;
using LinqToDB.Async;

namespace Brokkr.Telemetry.Domain;

/// <summary>Stack-owned reads (details §3.3): 404 for a missing or deleted stack first, then 403 unless admin or the owner.</summary>
internal static class TelemetryStackAccess
{
    public static async Task EnsureOwnedAsync(BrokkrDb db, Caller caller, Guid stackId, CancellationToken cancellationToken)
    {
        var stack = await db.GetTable<StackView>().FirstOrDefaultAsync(s => s.Id == stackId && s.DeletedAt == null, cancellationToken)
            ?? throw ApiException.NotFound("stack_not_found", "Stack not found");
        if (!caller.IsAdmin && !caller.IsGeneratorSelf(stack.GeneratorId))
        {
            throw ApiException.Forbidden("stack_not_owned", "The stack belongs to another generator");
        }
    }
}
