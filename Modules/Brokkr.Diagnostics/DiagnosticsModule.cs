using Microsoft.Extensions.Hosting;

namespace Brokkr.Diagnostics;

public static class DiagnosticsModule
{
    public static IHostApplicationBuilder AddDiagnosticsModule(this IHostApplicationBuilder builder) => builder;
}
