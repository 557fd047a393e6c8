using Brokkr.Diagnostics.Data;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using LinqToDB;
using LinqToDB.Async;

namespace Brokkr.Diagnostics.Domain;

/// <summary>Who may touch a diagnostic request, in the reference's order: 404 first, then 403 (details §2.2, §3.4).</summary>
internal static class DiagnosticAccess
{
    /// <summary>GET and claim: admin or the request's agent.</summary>
    public static Task<DiagnosticRequestRow> ForAdminOrOwnerAsync(BrokkrDb db, Caller caller, Guid requestId, CancellationToken cancellationToken)
        => LoadAsync(db, requestId, row => caller.IsAdmin || caller.IsAgentSelf(row.AgentId), cancellationToken);

    /// <summary>The result: the request's agent only, so admin is refused too.</summary>
    public static Task<DiagnosticRequestRow> ForOwnerAsync(BrokkrDb db, Caller caller, Guid requestId, CancellationToken cancellationToken)
        => LoadAsync(db, requestId, row => caller.IsAgentSelf(row.AgentId), cancellationToken);

    private static async Task<DiagnosticRequestRow> LoadAsync(BrokkrDb db, Guid requestId, Func<DiagnosticRequestRow, bool> allowed, CancellationToken cancellationToken)
    {
        var row = await db.GetTable<DiagnosticRequestRow>().FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken)
            ?? throw ApiException.NotFound("diagnostic_not_found", "Diagnostic request not found");
        if (!allowed(row))
        {
            throw ApiException.Forbidden("diagnostic_not_owned", "The diagnostic request belongs to another agent");
        }

        return row;
    }
}
