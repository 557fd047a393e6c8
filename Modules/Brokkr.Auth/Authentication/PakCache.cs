using System.Collections.Concurrent;
using System.Diagnostics;
using Brokkr.Contracts.Auth;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Configuration;

namespace Brokkr.Auth.Authentication;

/// <summary>
/// Identities by PAK hash for <c>auth_cache_ttl_seconds</c> (0 disables). Rotation and deletion drop
/// entries at once, here and, through NOTIFY, in every other broker.
/// </summary>
internal sealed class PakCache(BrokkrSettings settings)
{
    private const int Capacity = 10_000;
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
            _entries.Clear();
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

    private sealed record Entry(Caller Caller, long StoredAt);
}
