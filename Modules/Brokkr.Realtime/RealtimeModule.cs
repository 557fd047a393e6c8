using Brokkr.Contracts.Fleet;
using Brokkr.Realtime.Bus;
using Brokkr.Realtime.Channel;
using Brokkr.Realtime.Cluster;
using Brokkr.Realtime.Live;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Brokkr.Realtime;

/// <summary>
/// The event bus between broker replicas (PostgreSQL LISTEN/NOTIFY) and the WebSocket channel:
/// the agents' socket, pushes after commit, live stack telemetry and fleet subscriptions, the
/// cluster-wide connection registry (ADR 0023, 0024).
/// </summary>
public static class RealtimeModule
{
    public static IHostApplicationBuilder AddRealtimeModule(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton<RealtimeOptions>();
        services.AddSingleton<ReplicaIdentity>();
        services.AddSingleton<RealtimeBus>();
        services.AddSingleton<ClusterState>();
        services.Replace(ServiceDescriptor.Singleton<IAgentConnections>(sp => sp.GetRequiredService<ClusterState>()));
        services.AddSingleton<AgentSockets>();
        services.AddSingleton<LiveHub>();
        services.AddSingleton<BusDispatcher>();
        services.AddSingleton<FleetBroadcaster>();
        services.AddSingleton<Uplink>();
        services.AddSingleton<AgentChannel>();
        services.AddSingleton<LiveChannel>();
        AddHosted<ReplicaTicker>(services);
        AddHosted<BusListener>(services);
        AddHosted<PresenceAnnouncer>(services);
        AddHosted<TelemetryIngest>(services);
        AddHosted<FleetSweep>(services);
        services.AddHostedService<RealtimeShutdown>();
        services.AddOptions<WebSocketOptions>().Configure<RealtimeOptions>((ws, realtime) => ws.KeepAliveInterval = realtime.KeepAliveInterval);
        return builder;
    }

    private static void AddHosted<T>(IServiceCollection services)
        where T : class, IHostedService
    {
        services.AddSingleton<T>();
        services.AddHostedService(sp => sp.GetRequiredService<T>());
    }
}
