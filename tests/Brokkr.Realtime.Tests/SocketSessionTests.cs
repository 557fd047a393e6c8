using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Brokkr.Realtime.Channel;
using Microsoft.Extensions.Logging.Abstractions;

namespace Brokkr.Realtime.Tests;

/// <summary>
/// The session's reader waits for each message with a zero-byte receive (ADR 0032); whatever the
/// framing, every text message must still arrive whole and in order.
/// </summary>
public sealed class SocketSessionTests
{
    private static readonly Brokkr.Realtime.RealtimeOptions Options = new() { MaxMessageBytes = 64 * 1024, CloseTimeout = TimeSpan.FromSeconds(2) };

    [Fact]
    public async Task Whole_fragmented_empty_and_large_messages_arrive_intact_and_in_order()
    {
        var (server, client) = await PairAsync();
        using var _ = server;
        using var __ = client;
        var session = new SocketSession(server, Options, NullLogger.Instance);
        var received = new List<string>();
        var run = session.RunAsync(Never, _ => { }, m =>
        {
            received.Add(Encoding.UTF8.GetString(m.Span));
            return ValueTask.CompletedTask;
        }, CancellationToken.None);

        var large = new string('x', 40_000);
        await client.SendAsync(Encoding.UTF8.GetBytes("{\"one\":1}"), WebSocketMessageType.Text, true, CancellationToken.None);
        await client.SendAsync(Encoding.UTF8.GetBytes("{\"two\":"), WebSocketMessageType.Text, false, CancellationToken.None);
        await client.SendAsync(Encoding.UTF8.GetBytes(""), WebSocketMessageType.Text, false, CancellationToken.None);
        await client.SendAsync(Encoding.UTF8.GetBytes("2}"), WebSocketMessageType.Text, true, CancellationToken.None);
        await client.SendAsync(ReadOnlyMemory<byte>.Empty, WebSocketMessageType.Text, true, CancellationToken.None);
        await client.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        await client.SendAsync(Encoding.UTF8.GetBytes(large), WebSocketMessageType.Text, true, CancellationToken.None);
        await client.SendAsync(Encoding.UTF8.GetBytes("{\"last\":true}"), WebSocketMessageType.Text, true, CancellationToken.None);
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        received.ShouldBe(["{\"one\":1}", "{\"two\":2}", "", large, "{\"last\":true}"]);
    }

    [Fact]
    public async Task A_message_over_the_limit_closes_the_socket_with_1009_and_is_not_delivered()
    {
        var (server, client) = await PairAsync();
        using var _ = server;
        using var __ = client;
        var session = new SocketSession(server, Options, NullLogger.Instance);
        var received = 0;
        var run = session.RunAsync(Never, _ => { }, _ =>
        {
            received++;
            return ValueTask.CompletedTask;
        }, CancellationToken.None);

        var chunk = Encoding.UTF8.GetBytes(new string('y', 30_000));
        for (var i = 0; i < 3; i++)
        {
            await client.SendAsync(chunk, WebSocketMessageType.Text, endOfMessage: i == 2, CancellationToken.None);
        }

        var result = await client.ReceiveAsync(new byte[1024], CancellationToken.None);
        result.MessageType.ShouldBe(WebSocketMessageType.Close);
        client.CloseStatus.ShouldBe(WebSocketCloseStatus.MessageTooBig);
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        received.ShouldBe(0);
    }

    private static async ValueTask<OutboundFrame> Never(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new OperationCanceledException(cancellationToken);
    }

    /// <summary>A server and a client WebSocket over a real loopback TCP connection.</summary>
    private static async Task<(WebSocket Server, WebSocket Client)> PairAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await listener.AcceptTcpClientAsync();
        return (
            WebSocket.CreateFromStream(server.GetStream(), new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = Timeout.InfiniteTimeSpan }),
            WebSocket.CreateFromStream(client.GetStream(), new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = Timeout.InfiniteTimeSpan }));
    }
}
