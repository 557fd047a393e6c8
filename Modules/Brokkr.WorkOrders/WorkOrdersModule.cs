using Brokkr.Shared.Jobs;
using Brokkr.WorkOrders.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Brokkr.WorkOrders;

/// <summary>Work orders: one-shot jobs for agents, their claims, retries and the log of finished ones.</summary>
public static class WorkOrdersModule
{
    public const string MaintenanceJobKey = "work-order-maintenance";

    public static IHostApplicationBuilder AddWorkOrdersModule(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(new ScheduledRequest(
            MaintenanceJobKey,
            "Work orders: due retries back to PENDING; claims past their timeout offered again as a failed attempt, or logged as failed when out of retries",
            settings => TimeSpan.FromSeconds(Math.Max(settings.Broker.WorkOrderMaintenanceIntervalSeconds, 1)),
            () => new MaintainWorkOrders.Command()));
        return builder;
    }
}
