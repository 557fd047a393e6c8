using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Brokkr.Realtime.Tests.Support;

/// <summary>
/// A client WebSocket that speaks the wire's text frames. A pump reads the socket into a queue, so
/// waiting for a frame with a timeout never cancels (and so aborts) the socket itself.
/// </summary>
public sealed class TestSocket : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly WebSocket _socket;
    private readonly Channel<string?> _incoming = System.Threading.Channels.Channel.CreateUnbounded<string?>();
    private readonly Task _pump;

    public TestSocket(WebSocket socket)
    {
        _socket = socket;
        _pump = PumpAsync();
    }

    public WebSocket Socket => _socket;

    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public string? CloseDescription { get; private set; }

    public Task SendTextAsync(string text)
        => _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    public Task SendFrameAsync(string type, object body)
        => SendTextAsync(JsonSerializer.Serialize(new { type, body }));

    /// <summary>The next text frame; fails on close or after the patience.</summary>
    public async Task<JsonNode> ReceiveAsync(TimeSpan? timeout = null)
    {
        var text = await NextAsync(timeout ?? Patience);
        if (text is null)
        {
            throw new ShouldAssertException($"socket closed ({CloseStatus} {CloseDescription}) while a frame was expected");
        }

        return JsonNode.Parse(text)!;
    }

    /// <summary>The next frame of that type whose body matches, skipping others.</summary>
    public async Task<JsonNode> ReceiveAsync(string type, Func<JsonNode, bool>? match = null)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"no {type} frame within {Patience}");
            }

            var frame = await ReceiveAsync(remaining);
            if (frame["type"]!.GetValue<string>() == type && (match is null || match(frame["body"]!)))
            {
                return frame;
            }
        }
    }

    /// <summary>Reads until the server's close frame and answers it; fails if a frame comes first (unless skipped).</summary>
    public async Task<WebSocketCloseStatus> ReceiveCloseAsync(bool skipFrames = false)
    {
        while (true)
        {
            var text = await NextAsync(Patience);
            if (text is null)
            {
                return CloseStatus ?? throw new ShouldAssertException("closed without a close status");
            }

            if (!skipFrames)
            {
                throw new ShouldAssertException($"a frame came instead of the close: {text}");
            }
        }
    }

    /// <summary>Nothing arrives for a while: the socket stays open and silent.</summary>
    public async Task ShouldReceiveNothingAsync(TimeSpan wait)
    {
        using var cancel = new CancellationTokenSource(wait);
        try
        {
            var text = await _incoming.Reader.ReadAsync(cancel.Token);
            throw new ShouldAssertException(text is null ? $"socket closed ({CloseStatus} {CloseDescription})" : $"unexpected frame {text}");
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "test done", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }

        await Task.WhenAny(_pump, Task.Delay(TimeSpan.FromSeconds(2)));
        _socket.Dispose();
    }

    private async Task<string?> NextAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return await _incoming.Reader.ReadAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"nothing received within {timeout}");
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseStatus = result.CloseStatus;
                    CloseDescription = result.CloseStatusDescription;
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }

                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    await _incoming.Writer.WriteAsync(Encoding.UTF8.GetString(message.ToArray()));
                    message.SetLength(0);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
        }
        finally
        {
            await _incoming.Writer.WriteAsync(null);
            _incoming.Writer.TryComplete();
        }
    }
}
