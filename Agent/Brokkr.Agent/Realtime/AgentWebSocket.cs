using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Brokkr.Agent.Configuration;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.Realtime;

internal enum WebSocketState
{
    Down,
    Up,
    ForceRestOnly,
    AuthRejected,
}

/// <summary>
/// The agent's end of <c>/internal/ws/agent</c> (behaviour §11): an accelerator, never the source of
/// truth. Pushes (<c>stack_changed</c>, <c>target_changed</c>, <c>work_order</c>) only make the matching
/// REST step run at once. Reconnects with backoff (1 s doubling to 60 s, ±20 % jitter); five refused
/// upgrades in a row (401/403) stop it until restart; <c>ws_force_rest</c> keeps it off. Reports,
/// heartbeats and health stay on REST, where the broker acknowledges them (ADR 0025).
/// </summary>
internal sealed class AgentWebSocket(AgentOptions options, Action<string> onPush, TimeProvider time, ILogger<AgentWebSocket> logger, TimeSpan? initialBackoff = null)
{
    private readonly TimeSpan _initialBackoff = initialBackoff ?? TimeSpan.FromSeconds(1);

    public const int MaxAuthFailures = 5;
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    private volatile WebSocketState _state = WebSocketState.Down;

    // The reference's outbound queue of 256 frames; a full queue drops the frame.
    private readonly System.Threading.Channels.Channel<string> _outbound =
        System.Threading.Channels.Channel.CreateBounded<string>(new System.Threading.Channels.BoundedChannelOptions(256) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });

    /// <summary>
    /// Queues a frame <c>{"type", "body"}</c> for the broker; false (dropped) while the socket is not up
    /// or the queue is full. Only telemetry goes this way: it travels over the WebSocket or not at all.
    /// </summary>
    public bool TrySend(string type, object body)
    {
        if (_state != WebSocketState.Up)
        {
            return false;
        }

        var frame = JsonSerializer.Serialize(new { type, body }, Broker.BrokerJson.Options);
        return _outbound.Writer.TryWrite(frame);
    }

    public WebSocketState State => _state;

    public int FramesReceived;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (options.WsForceRest)
        {
            _state = WebSocketState.ForceRestOnly;
            return;
        }

        var url = options.ResolvedWsUrl();
        var backoff = _initialBackoff;
        var refused = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            using var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Authorization", $"Bearer {options.Pak}");
            socket.Options.CollectHttpResponseDetails = true;
            socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
            try
            {
                using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                connect.CancelAfter(TimeSpan.FromSeconds(10));
                await socket.ConnectAsync(url, connect.Token);
                _state = WebSocketState.Up;
                refused = 0;
                backoff = _initialBackoff;
                logger.LogInformation("WebSocket connected to {Url}", url);
                using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var sending = SendLoopAsync(socket, connection.Token);
                try
                {
                    await ReceiveAsync(socket, cancellationToken);
                }
                finally
                {
                    _state = WebSocketState.Down;
                    await connection.CancelAsync();
                    await sending;
                }

                logger.LogInformation("WebSocket closed by the broker");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or HttpRequestException)
            {
                if (socket.HttpStatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    refused++;
                    if (refused >= MaxAuthFailures)
                    {
                        _state = WebSocketState.AuthRejected;
                        logger.LogError("The broker refused the WebSocket {Count} times ({Status}); staying on REST until restart", refused, (int)socket.HttpStatusCode);
                        return;
                    }
                }

                logger.LogDebug("WebSocket to {Url} unavailable: {Error}", url, e.Message);
            }

            _state = WebSocketState.Down;
            var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(backoff.TotalMilliseconds * jitter), time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }

        _state = WebSocketState.Down;
    }

    private async Task SendLoopAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        try
        {
            while (await _outbound.Reader.WaitToReadAsync(cancellationToken))
            {
                while (_outbound.Reader.TryRead(out var frame))
                {
                    await socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The connection ended; frames still queued wait for the next one.
        }
    }

    private async Task ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (socket.State == System.Net.WebSockets.WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return;
            }

            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }

            if (result.MessageType == WebSocketMessageType.Text)
            {
                Dispatch(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
            }

            message.SetLength(0);
        }
    }

    private void Dispatch(string text)
    {
        Interlocked.Increment(ref FramesReceived);
        try
        {
            using var frame = JsonDocument.Parse(text);
            if (frame.RootElement.ValueKind == JsonValueKind.Object
                && frame.RootElement.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
            {
                onPush(type.GetString()!);
                return;
            }
        }
        catch (JsonException)
        {
            // Dropped below, as the reference drops undecodable frames.
        }

        logger.LogDebug("Dropped an undecodable WebSocket frame");
    }
}
