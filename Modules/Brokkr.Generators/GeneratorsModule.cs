using Microsoft.Extensions.Hosting;

namespace Brokkr.Generators;

public static class GeneratorsModule
{
    public static IHostApplicationBuilder AddGeneratorsModule(this IHostApplicationBuilder builder) => builder;
}
