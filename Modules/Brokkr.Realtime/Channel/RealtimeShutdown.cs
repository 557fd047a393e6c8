using System.Net.WebSockets;
using Brokkr.Realtime.Live;
using Microsoft.Extensions.Hosting;

namespace Brokkr.Realtime.Channel;

/// <summary>
/// When the broker begins to stop, every socket gets a close frame (1001 going away) at once, so
/// the server's graceful shutdown is not held up by long-lived WebSocket requests and agents
/// reconnect to another replica.
/// </summary>
internal sealed class RealtimeShutdown(IHostApplicationLifetime lifetime, AgentSockets sockets, LiveHub hub) : IHostedService
{
    public const string Reason = "broker shutting down";

    private CancellationTokenRegistration _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = lifetime.ApplicationStopping.Register(() =>
        {
            sockets.CloseAll(WebSocketCloseStatus.EndpointUnavailable, Reason);
            hub.CloseAll(WebSocketCloseStatus.EndpointUnavailable, Reason);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registration.Dispose();
        return Task.CompletedTask;
    }
}
