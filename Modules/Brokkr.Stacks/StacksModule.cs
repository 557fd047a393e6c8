using Brokkr.Stacks.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Brokkr.Stacks;

/// <summary>Stacks, their labels, annotations and deployment objects, and each agent's target state.</summary>
public static class StacksModule
{
    public static IHostApplicationBuilder AddStacksModule(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TargetStateReader>();
        return builder;
    }
}
