using Microsoft.Extensions.Hosting;

namespace Brokkr.Health;

public static class HealthModule
{
    public static IHostApplicationBuilder AddHealthModule(this IHostApplicationBuilder builder) => builder;
}
