using Brokkr.Contracts.Fleet;
using Brokkr.Health.Domain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Brokkr.Health;

/// <summary>Deployment health reported by agents, and the fleet view of every agent's measured state.</summary>
public static class HealthModule
{
    public static IHostApplicationBuilder AddHealthModule(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<FleetReader>();
        // Until the realtime module registers its connection registry (it may do so before or after this).
        builder.Services.TryAddSingleton<IAgentConnections, NoAgentConnections>();
        return builder;
    }
}
