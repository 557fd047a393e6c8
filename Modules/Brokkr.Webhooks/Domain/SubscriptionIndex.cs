namespace Brokkr.Webhooks.Domain;

/// <summary>
/// In-process knowledge of which event types any enabled subscription could match, so that an event
/// nobody subscribed to costs no round trip. It only ever answers "certainly nobody"; while it does not
/// know (at startup, while the change listener is disconnected, after a change here until the change's
/// notification has been read back) every event goes to the database, which decides.
/// </summary>
internal sealed class SubscriptionIndex
{
    private readonly Lock _lock = new();
    private PatternSet? _patterns;
    private long _generation;

    /// <summary>True only when the index is loaded and no enabled subscription's pattern matches.</summary>
    public bool CertainlyUnsubscribed(string eventType) => _patterns is { } patterns && !patterns.MayMatch(eventType);

    public bool IsLoaded => _patterns is not null;

    /// <summary>Forget what is known; a load that started before this does not count.</summary>
    public void Invalidate()
    {
        lock (_lock)
        {
            _generation++;
            _patterns = null;
        }
    }

    public long Generation
    {
        get
        {
            lock (_lock)
            {
                return _generation;
            }
        }
    }

    /// <summary>Keeps a load read after <paramref name="generation"/> was taken, unless something invalidated since.</summary>
    public bool TrySet(long generation, PatternSet patterns)
    {
        lock (_lock)
        {
            if (generation != _generation)
            {
                return false;
            }

            _patterns = patterns;
            return true;
        }
    }
}
