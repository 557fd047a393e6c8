using System.Net.WebSockets;
using Brokkr.Realtime.Channel;
using Brokkr.Shared.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Brokkr.Realtime.Live;

/// <summary>
/// A live subscriber's socket: accepted with the subprotocol <c>brokkr.v1</c> when the client
/// offered it (never the <c>brokkr.pak.</c> one that carries the key), then frames from the
/// subscriber's buffer until either side closes. What the client sends is read and ignored.
/// </summary>
internal sealed class LiveChannel(LiveHub hub, RealtimeOptions options, TimeProvider time, ILogger<LiveChannel> logger)
{
    public LiveSubscriber Subscriber(Guid? stackId) => new(stackId, options.SubscriberBuffer, time);

    public async Task RunAsync(HttpContext context, Guid? stackId)
    {
        var subprotocol = context.WebSockets.WebSocketRequestedProtocols.Contains(PakFromWebSocketSubprotocol.Marker, StringComparer.Ordinal)
            ? PakFromWebSocketSubprotocol.Marker
            : null;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = subprotocol,
            KeepAliveInterval = options.KeepAliveInterval,
        });
        var subscriber = Subscriber(stackId);
        subscriber.Session = new SocketSession(socket, options, logger);
        hub.Add(subscriber);
        try
        {
            await subscriber.Session.RunAsync(subscriber.NextAsync, _ => { }, _ => ValueTask.CompletedTask, context.RequestAborted);
        }
        finally
        {
            hub.Remove(subscriber);
        }
    }
}
