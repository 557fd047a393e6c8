using Microsoft.Extensions.Hosting;

namespace Brokkr.Audit;

/// <summary>The audit log: every audited action, written in the transaction of its change.</summary>
public static class AuditModule
{
    public static IHostApplicationBuilder AddAuditModule(this IHostApplicationBuilder builder)
    {
        Features.CleanupAuditLogs.Schedule(builder);
        return builder;
    }
}
