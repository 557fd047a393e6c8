using System.Threading.Channels;
using Brokkr.Contracts.Realtime;
using Brokkr.Realtime.Channel;

namespace Brokkr.Realtime.Live;

/// <summary>
/// One consumer of a live stream with a bounded buffer. A publisher never waits for it: a frame
/// that does not fit is dropped. A stack subscriber then gets a synthetic <c>log_gap</c>
/// (<c>agent_id</c> nil, reason <c>buffer_full</c>) at the place of the lost frames; a fleet
/// subscriber skips silently (the next record of an agent replaces the lost one).
/// </summary>
internal sealed class LiveSubscriber
{
    private readonly Channel<OutboundFrame> _frames;
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private long _accepted;
    private long _read;
    private long _dropped;
    private long _gapAfter;
    private DateTime _droppedSince;

    public LiveSubscriber(Guid? stackId, int capacity, TimeProvider time)
    {
        StackId = stackId;
        _time = time;
        _frames = System.Threading.Channels.Channel.CreateBounded<OutboundFrame>(new BoundedChannelOptions(capacity) { SingleReader = true });
    }

    /// <summary>The stack whose telemetry this subscriber tails; null for the fleet.</summary>
    public Guid? StackId { get; }

    public SocketSession? Session { get; set; }

    public bool Offer(OutboundFrame frame)
    {
        lock (_gate)
        {
            if (_frames.Writer.TryWrite(frame))
            {
                _accepted++;
                return true;
            }

            if (_dropped == 0)
            {
                _gapAfter = _accepted;
                _droppedSince = _time.GetUtcNow().UtcDateTime;
            }

            _dropped++;
        }

        RealtimeMetrics.Drop(StackId is null ? "fleet" : "live");
        return false;
    }

    public async ValueTask<OutboundFrame> NextAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_dropped > 0 && _read >= _gapAfter && StackId is { } stackId)
            {
                var gap = new LogGapBody(Guid.Empty, stackId, _droppedSince, (ulong)_dropped, LogGapBody.BufferFull);
                _dropped = 0;
                return OutboundFrame.Create(WireMessageTypes.LogGap, gap);
            }

            if (StackId is null)
            {
                _dropped = 0;
            }
        }

        var frame = await _frames.Reader.ReadAsync(cancellationToken);
        lock (_gate)
        {
            _read++;
        }

        return frame;
    }
}
