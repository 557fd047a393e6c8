using Brokkr.Shared.Jobs;
using Brokkr.Telemetry.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Brokkr.Telemetry;

/// <summary>
/// Stack telemetry: the Kubernetes events and pod log lines agents forward, kept for at most
/// 6 hours and read per stack.
/// </summary>
public static class TelemetryModule
{
    public static IHostApplicationBuilder AddTelemetryModule(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(new ScheduledRequest(
            EvictTelemetry.JobKey,
            "Delete Kubernetes events and pod log lines ingested more than 6 hours ago",
            _ => EvictTelemetry.Interval,
            () => new EvictTelemetry.Command()));
        return builder;
    }
}
