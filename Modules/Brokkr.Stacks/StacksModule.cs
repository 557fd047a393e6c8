using Brokkr.Shared.Data;
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
        builder.Services.AddSingleton<TargetStateCache>();
        builder.Services.AddSingleton<TargetStateSignals>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TargetStateSignals>());
        builder.Services.AddSingleton<IDatabaseNoticeObserver>(sp => sp.GetRequiredService<TargetStateSignals>());
        return builder;
    }
}
