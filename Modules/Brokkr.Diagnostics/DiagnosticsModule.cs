using Brokkr.Diagnostics.Features;
using Brokkr.Shared.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Brokkr.Diagnostics;

/// <summary>On-demand diagnostics: operators ask an agent to collect pod statuses, events and log tails.</summary>
public static class DiagnosticsModule
{
    public static IHostApplicationBuilder AddDiagnosticsModule(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(new ScheduledRequest(
            CleanupDiagnostics.JobKey,
            "Expire or fail diagnostic requests past their expiry; delete finished ones older than diagnostic_max_age_hours",
            settings => TimeSpan.FromSeconds(Math.Max(1, settings.Broker.DiagnosticCleanupIntervalSeconds)),
            () => new CleanupDiagnostics.Command()));
        return builder;
    }
}
