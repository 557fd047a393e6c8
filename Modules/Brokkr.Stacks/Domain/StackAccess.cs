using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Stacks.Data;
using LinqToDB;
using LinqToDB.Async;

namespace Brokkr.Stacks.Domain;

/// <summary>Who may see or change a stack, in the reference's order of checks (details §2, §3.3).</summary>
internal static class StackAccess
{
    /// <summary>Stack-owned routes: 404 for a missing or deleted stack first, then 403 unless admin or the owner.</summary>
    public static async Task<StackRow> OwnedAsync(BrokkrDb db, Caller caller, Guid stackId, CancellationToken cancellationToken)
    {
        var stack = await LiveAsync(db, stackId, cancellationToken) ?? throw NotFound();
        if (!caller.IsAdmin && !caller.IsGeneratorSelf(stack.GeneratorId))
        {
            throw ApiException.Forbidden("stack_not_owned", "The stack belongs to another generator");
        }

        return stack;
    }

    /// <summary>
    /// Label and annotation reads: admin always (no lookup); anyone else 404 first, then the owner or
    /// an agent with an explicit target. A label or annotation match does not grant the read.
    /// </summary>
    public static async Task EnsureReadableAsync(BrokkrDb db, Caller caller, Guid stackId, CancellationToken cancellationToken)
    {
        if (caller.IsAdmin)
        {
            return;
        }

        var stack = await LiveAsync(db, stackId, cancellationToken) ?? throw NotFound();
        if (caller.IsGeneratorSelf(stack.GeneratorId))
        {
            return;
        }

        if (caller.IsAgent && await IsExplicitTargetAsync(db, caller.Id!.Value, stackId, cancellationToken))
        {
            return;
        }

        throw ApiException.Forbidden("stack_not_accessible", "Access to this stack is not allowed");
    }

    public static Task<bool> IsExplicitTargetAsync(BrokkrDb db, Guid agentId, Guid stackId, CancellationToken cancellationToken)
        => db.GetTable<AgentTargetView>().AnyAsync(t => t.AgentId == agentId && t.StackId == stackId, cancellationToken);

    public static Task<StackRow?> LiveAsync(BrokkrDb db, Guid stackId, CancellationToken cancellationToken)
        => db.GetTable<StackRow>().FirstOrDefaultAsync(s => s.Id == stackId && s.DeletedAt == null, cancellationToken);

    public static ApiException NotFound() => ApiException.NotFound("stack_not_found", "Stack not found");
}
