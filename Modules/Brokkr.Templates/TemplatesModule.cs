using Microsoft.Extensions.Hosting;

namespace Brokkr.Templates;

public static class TemplatesModule
{
    public static IHostApplicationBuilder AddTemplatesModule(this IHostApplicationBuilder builder) => builder;
}
