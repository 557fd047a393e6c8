using Microsoft.Extensions.Hosting;

namespace Brokkr.Agents;

public static class AgentsModule
{
    public static IHostApplicationBuilder AddAgentsModule(this IHostApplicationBuilder builder) => builder;
}
