using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Brokkr.Realtime.Channel;

/// <summary>
/// One agent's socket on this replica: a control lane and a telemetry lane, both bounded; the
/// writer always drains the control lane first. A full lane drops the frame (the agent's polling
/// catches up) and counts it.
/// </summary>
internal sealed class AgentConnection
{
    private readonly Channel<OutboundFrame> _control;
    private readonly Channel<OutboundFrame> _telemetry;
    private readonly SemaphoreSlim _doorbell = new(0);
    private readonly ILogger _logger;
    private long _messagesIn;
    private long _messagesOut;

    public AgentConnection(Guid agentId, string pakHash, SocketSession session, RealtimeOptions options, ILogger logger)
    {
        AgentId = agentId;
        PakHash = pakHash;
        Session = session;
        _logger = logger;
        _control = System.Threading.Channels.Channel.CreateBounded<OutboundFrame>(new BoundedChannelOptions(options.ControlLane) { SingleReader = true });
        _telemetry = System.Threading.Channels.Channel.CreateBounded<OutboundFrame>(new BoundedChannelOptions(options.TelemetryLane) { SingleReader = true });
    }

    public Guid AgentId { get; }

    public Guid ConnectionId { get; } = Guid.NewGuid();

    /// <summary>The hash of the PAK the agent connected with, to find sockets whose PAK was rotated while a notification was lost.</summary>
    public string PakHash { get; }

    /// <summary>The database's clock when the connection was recorded (the same on every replica).</summary>
    public DateTime ConnectedSince { get; set; }

    public SocketSession Session { get; }

    public long MessagesIn => Interlocked.Read(ref _messagesIn);

    public long MessagesOut => Interlocked.Read(ref _messagesOut);

    public bool TryEnqueue(OutboundFrame frame)
    {
        var (lane, name) = frame.IsControl ? (_control, "control") : (_telemetry, "telemetry");
        if (!lane.Writer.TryWrite(frame))
        {
            RealtimeMetrics.Drop(name);
            _logger.LogWarning("Agent {AgentId}: {Lane} lane full, dropping a {Type} frame", AgentId, name, frame.Type);
            return false;
        }

        _doorbell.Release();
        return true;
    }

    /// <summary>The next frame to send: control before telemetry. One doorbell ring per queued frame.</summary>
    public async ValueTask<OutboundFrame> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _doorbell.WaitAsync(cancellationToken);
            if (_control.Reader.TryRead(out var frame) || _telemetry.Reader.TryRead(out frame))
            {
                return frame;
            }
        }
    }

    public void Sent(OutboundFrame frame)
    {
        Interlocked.Increment(ref _messagesOut);
        RealtimeMetrics.Out(frame.Type);
    }

    public void Received() => Interlocked.Increment(ref _messagesIn);

    public void Close(WebSocketCloseStatus status, string reason) => Session.RequestClose(status, reason);
}
