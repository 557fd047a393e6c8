namespace Brokkr.FakeKube.Store;

/// <summary>
/// Fans changes out to watchers and keeps a bounded history so that a watch can resume from a
/// resourceVersion. Called under the store's lock, so events reach every watcher in commit order.
/// </summary>
internal sealed class WatchHub(int historyLimit)
{
    private readonly Lock _gate = new();
    private readonly LinkedList<WatchEvent> _history = new();
    private readonly List<WatchSubscription> _subscribers = [];
    private long _oldestForgotten;

    public void Publish(WatchEvent e)
    {
        lock (_gate)
        {
            _history.AddLast(e);
            while (_history.Count > historyLimit)
            {
                _oldestForgotten = _history.First!.Value.ResourceVersion;
                _history.RemoveFirst();
            }

            foreach (var subscriber in _subscribers)
            {
                if (subscriber.Accepts(e))
                {
                    subscriber.Deliver(e);
                }
            }
        }
    }

    /// <summary>Events after <paramref name="resourceVersion"/>, or null when the history no longer reaches back that far.</summary>
    public IReadOnlyList<WatchEvent>? Since(long resourceVersion, WatchSubscription subscription)
    {
        lock (_gate)
        {
            if (resourceVersion < _oldestForgotten)
            {
                return null;
            }

            return _history.Where(e => e.ResourceVersion > resourceVersion && subscription.Accepts(e)).ToList();
        }
    }

    public WatchSubscription Subscribe(string typeKey, string? ns, Func<StoredObject, bool> filter)
    {
        var subscription = new WatchSubscription(typeKey, ns, filter, Unsubscribe);
        lock (_gate)
        {
            _subscribers.Add(subscription);
        }

        return subscription;
    }

    public void CloseAll(string typeKey)
    {
        lock (_gate)
        {
            foreach (var subscriber in _subscribers.Where(s => s.TypeKey == typeKey).ToList())
            {
                subscriber.Close();
            }
        }
    }

    private void Unsubscribe(WatchSubscription subscription)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscription);
        }
    }
}
