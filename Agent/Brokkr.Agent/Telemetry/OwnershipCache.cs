namespace Brokkr.Agent.Telemetry;

/// <summary>
/// Which stack an object belongs to, by uid: positive and negative answers kept for 5 minutes, at most
/// <c>kube_event_uid_cache_cap</c> entries, the least recently used evicted first (behaviour §14.8).
/// </summary>
internal sealed class OwnershipCache(int capacity, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, LinkedListNode<(string Key, Guid? Stack, DateTimeOffset At)>> _index = new();
    private readonly LinkedList<(string Key, Guid? Stack, DateTimeOffset At)> _order = new();
    private readonly object _gate = new();

    public bool TryGet(string key, out Guid? stack)
    {
        lock (_gate)
        {
            if (_index.TryGetValue(key, out var node) && time.GetUtcNow() - node.Value.At < Lifetime)
            {
                _order.Remove(node);
                _order.AddFirst(node);
                stack = node.Value.Stack;
                return true;
            }

            stack = null;
            return false;
        }
    }

    public void Set(string key, Guid? stack)
    {
        lock (_gate)
        {
            if (_index.Remove(key, out var existing))
            {
                _order.Remove(existing);
            }

            _index[key] = _order.AddFirst((key, stack, time.GetUtcNow()));
            while (_index.Count > Math.Max(1, capacity))
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _index.Remove(last.Value.Key);
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _index.Count;
            }
        }
    }
}
