using Microsoft.Extensions.Hosting;

namespace Brokkr.Telemetry;

public static class TelemetryModule
{
    public static IHostApplicationBuilder AddTelemetryModule(this IHostApplicationBuilder builder) => builder;
}
