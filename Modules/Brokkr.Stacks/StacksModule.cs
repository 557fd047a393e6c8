using Microsoft.Extensions.Hosting;

namespace Brokkr.Stacks;

public static class StacksModule
{
    public static IHostApplicationBuilder AddStacksModule(this IHostApplicationBuilder builder) => builder;
}
