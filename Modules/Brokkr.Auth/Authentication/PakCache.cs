using System.Collections.Concurrent;
using System.Diagnostics;
using Brokkr.Contracts.Auth;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Configuration;

namespace Brokkr.Auth.Authentication;

/// <summary>
/// Identities by PAK hash for <c>auth_cache_ttl_seconds</c> (0 disables). Rotation and deletion drop
/// entries at once, here and, through NOTIFY, in every other broker. Sized for a large fleet: when
/// full, expired entries go first, then an arbitrary tenth, never the whole cache at once (a fleet
/// just over the capacity would otherwise hash every PAK against the database on every request).
/// </summary>
internal sealed class PakCache(BrokkrSettings settings)
{
    internal const int Capacity = 100_000;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeSpan _ttl = TimeSpan.FromSeconds(Math.Max(0, settings.Broker.AuthCacheTtlSeconds));

    public bool TryGet(string hash, out Caller caller)
    {
        caller = null!;
        if (!_entries.TryGetValue(hash, out var entry))
        {
            return false;
        }

        if (Stopwatch.GetElapsedTime(entry.StoredAt) > _ttl)
        {
            _entries.TryRemove(hash, out _);
            return false;
        }

        caller = entry.Caller;
        return true;
    }

    public void Set(string hash, Caller caller)
    {
        if (_ttl == TimeSpan.Zero)
        {
            return;
        }

        if (_entries.Count >= Capacity)
        {
            Evict();
        }

        _entries[hash] = new Entry(caller, Stopwatch.GetTimestamp());
    }

    public void Invalidate(PakOwnerKind kind, Guid? ownerId)
    {
        var callerKind = kind switch
        {
            PakOwnerKind.Agent => CallerKind.Agent,
            PakOwnerKind.Generator => CallerKind.Generator,
            _ => CallerKind.Admin,
        };
        foreach (var (hash, entry) in _entries)
        {
            if (entry.Caller.Kind == callerKind && (callerKind == CallerKind.Admin || entry.Caller.Id == ownerId))
            {
                _entries.TryRemove(hash, out _);
            }
        }
    }

    public void Clear() => _entries.Clear();

    public int Count => _entries.Count;

    private void Evict()
    {
        foreach (var (hash, entry) in _entries)
        {
            if (Stopwatch.GetElapsedTime(entry.StoredAt) > _ttl)
            {
                _entries.TryRemove(hash, out _);
            }
        }

        var excess = _entries.Count - (Capacity - (Capacity / 10));
        foreach (var hash in _entries.Keys)
        {
            if (excess-- <= 0)
            {
                break;
            }

            _entries.TryRemove(hash, out _);
        }
    }

    private sealed record Entry(Caller Caller, long StoredAt);
}
