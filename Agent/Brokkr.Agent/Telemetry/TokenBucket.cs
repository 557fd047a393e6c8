namespace Brokkr.Agent.Telemetry;

/// <summary>
/// The reference's per-container log limit (behaviour §14.8): a bucket of <c>rate</c> tokens refilled
/// continuously at <c>rate</c> per second. A line takes a token or is dropped and counted; the next line
/// that gets through first reports how many were dropped since when.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _rate;
    private readonly TimeProvider _time;
    private double _tokens;
    private DateTimeOffset _last;

    public TokenBucket(double rate, TimeProvider time)
    {
        _rate = rate;
        _time = time;
        _tokens = rate;
        _last = time.GetUtcNow();
    }

    public long Dropped { get; private set; }

    public DateTimeOffset? DroppedSince { get; private set; }

    public bool TryTake()
    {
        var now = _time.GetUtcNow();
        _tokens = Math.Min(_rate, _tokens + ((now - _last).TotalSeconds * _rate));
        _last = now;
        if (_tokens >= 1)
        {
            _tokens -= 1;
            return true;
        }

        Dropped++;
        DroppedSince ??= now;
        return false;
    }

    /// <summary>The drops to report now (and forget), or null when there were none.</summary>
    public (long Count, DateTimeOffset Since)? TakeDrops()
    {
        if (Dropped == 0)
        {
            return null;
        }

        var drops = (Dropped, DroppedSince!.Value);
        Dropped = 0;
        DroppedSince = null;
        return drops;
    }
}
