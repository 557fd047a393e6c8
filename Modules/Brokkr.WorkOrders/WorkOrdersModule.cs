using Microsoft.Extensions.Hosting;

namespace Brokkr.WorkOrders;

public static class WorkOrdersModule
{
    public static IHostApplicationBuilder AddWorkOrdersModule(this IHostApplicationBuilder builder) => builder;
}
