using System.Buffers;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace Brokkr.Realtime.Channel;

/// <summary>
/// Runs one accepted WebSocket: a writer that is the only sender (frames from <c>next</c>, then the
/// close frame), and a reader that hands each complete text message to <c>received</c>. Either side
/// or the broker may ask to close; the socket gets a close frame and is aborted if the peer does not
/// answer it within the close timeout.
/// </summary>
internal sealed class SocketSession(WebSocket socket, RealtimeOptions options, ILogger logger)
{
    private const int ReceiveBufferBytes = 16 * 1024;

    private readonly CancellationTokenSource _closing = new();
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeReason = string.Empty;
    private int _closeRequested;

    public bool IsClosing => Volatile.Read(ref _closeRequested) == 1;

    public void RequestClose(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) == 0)
        {
            _closeStatus = status;
            _closeReason = reason;
            _closing.Cancel();
        }
    }

    /// <summary>Until the socket is closed or aborted; never throws for the socket's own failures.</summary>
    public async Task RunAsync(
        Func<CancellationToken, ValueTask<OutboundFrame>> next,
        Action<OutboundFrame> sent,
        Func<ReadOnlyMemory<byte>, ValueTask> received,
        CancellationToken aborted)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var reader = ReadAsync(received, abort.Token);
        var writer = WriteAsync(next, sent, abort.Token);
        var both = Task.WhenAll(reader, writer);
        await Task.WhenAny(both, GraceAfterCloseAsync(abort.Token));
        if (!both.IsCompleted)
        {
            socket.Abort();
            await abort.CancelAsync();
            await both;
        }
    }

    private async Task GraceAfterCloseAsync(CancellationToken aborted)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, _closing.Token);
        }
        catch (OperationCanceledException)
        {
        }

        try
        {
            await Task.Delay(options.CloseTimeout, aborted);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task WriteAsync(Func<CancellationToken, ValueTask<OutboundFrame>> next, Action<OutboundFrame> sent, CancellationToken aborted)
    {
        try
        {
            while (true)
            {
                OutboundFrame frame;
                try
                {
                    frame = await next(_closing.Token);
                }
                catch (OperationCanceledException) when (_closing.IsCancellationRequested)
                {
                    break;
                }

                await socket.SendAsync(frame.Utf8, WebSocketMessageType.Text, endOfMessage: true, aborted);
                sent(frame);
            }

            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(_closeStatus, _closeReason, aborted);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            logger.LogDebug("WebSocket send ended: {Error}", ex.Message);
            RequestClose(WebSocketCloseStatus.EndpointUnavailable, string.Empty);
        }
    }

    /// <summary>
    /// Between messages the socket holds no buffer: a zero-byte receive waits for the next frame's
    /// header (thousands of idle agent sockets, ADR 0032). A message that arrives in one receive is
    /// handed over from the rented buffer; only a fragmented one is copied into a writer, dropped after it.
    /// </summary>
    private async Task ReadAsync(Func<ReadOnlyMemory<byte>, ValueTask> received, CancellationToken aborted)
    {
        byte[]? buffer = null;
        ArrayBufferWriter<byte>? message = null;
        var atBoundary = true;
        var oversized = false;
        try
        {
            while (true)
            {
                Memory<byte> target = Memory<byte>.Empty;
                if (!atBoundary)
                {
                    buffer ??= ArrayPool<byte>.Shared.Rent(ReceiveBufferBytes);
                    target = buffer;
                }

                var result = await socket.ReceiveAsync(target, aborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    RequestClose(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, string.Empty);
                    return;
                }

                var chunk = target[..result.Count];
                var text = result.MessageType == WebSocketMessageType.Text && !oversized && !IsClosing;
                if (text && (message?.WrittenCount ?? 0) + result.Count > options.MaxMessageBytes)
                {
                    oversized = true;
                    logger.LogWarning("WebSocket text frame over {Limit} bytes; closing", options.MaxMessageBytes);
                    RequestClose(WebSocketCloseStatus.MessageTooBig, "frame too large");
                    text = false;
                }

                if (!result.EndOfMessage)
                {
                    if (text && result.Count > 0)
                    {
                        (message ??= new ArrayBufferWriter<byte>()).Write(chunk.Span);
                    }

                    atBoundary = false;
                    continue;
                }

                if (text)
                {
                    if (message is null)
                    {
                        await received(chunk);
                    }
                    else
                    {
                        message.Write(chunk.Span);
                        await received(message.WrittenMemory);
                    }
                }

                message = null;
                atBoundary = true;
                if (buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            logger.LogDebug("WebSocket receive ended: {Error}", ex.Message);
            RequestClose(WebSocketCloseStatus.EndpointUnavailable, string.Empty);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
