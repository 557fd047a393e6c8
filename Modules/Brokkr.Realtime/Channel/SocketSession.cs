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

    private async Task ReadAsync(Func<ReadOnlyMemory<byte>, ValueTask> received, CancellationToken aborted)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var message = new ArrayBufferWriter<byte>(16 * 1024);
        var oversized = false;
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), aborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    RequestClose(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, string.Empty);
                    return;
                }

                if (result.MessageType == WebSocketMessageType.Text && !oversized && !IsClosing)
                {
                    if (message.WrittenCount + result.Count > options.MaxMessageBytes)
                    {
                        oversized = true;
                        logger.LogWarning("WebSocket text frame over {Limit} bytes; closing", options.MaxMessageBytes);
                        RequestClose(WebSocketCloseStatus.MessageTooBig, "frame too large");
                    }
                    else
                    {
                        message.Write(buffer.AsSpan(0, result.Count));
                    }
                }

                if (result.EndOfMessage)
                {
                    if (result.MessageType == WebSocketMessageType.Text && !oversized && !IsClosing)
                    {
                        await received(message.WrittenMemory);
                    }

                    message.ResetWrittenCount();
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
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
