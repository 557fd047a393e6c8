using Brokkr.Contracts.Fleet;
using Brokkr.Realtime.Bus;

namespace Brokkr.Realtime.Cluster;

/// <summary>
/// What this replica knows of the others: which replica holds each agent's socket (so <c>/fleet</c>
/// shows <c>ws_connected</c> for agents connected anywhere) and what their live subscribers listen
/// to (so a frame leaves the process only when someone elsewhere wants it). Fed by bus
/// notifications as they arrive, and replaced every replica tick by a snapshot of the tables.
/// <para>
/// A snapshot may be older than a notification already applied (the query ran before that
/// change committed), so every entry carries the version at which a notification last touched it,
/// removals included (tombstones); a snapshot taken from version V leaves entries touched after V alone.
/// </para>
/// </summary>
internal sealed class ClusterState(ReplicaIdentity self) : IAgentConnections
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Holder> _holders = [];
    private readonly Dictionary<Guid, ReplicaPresence> _replicas = [];
    private long _version;

    /// <summary>Read before a snapshot query; pass to <see cref="ApplySnapshot"/>.</summary>
    public long Version
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    public bool TryGetConnectedSince(Guid agentId, out DateTime connectedSince)
    {
        lock (_gate)
        {
            if (_holders.TryGetValue(agentId, out var holder) && !holder.Removed)
            {
                connectedSince = holder.Since;
                return true;
            }
        }

        connectedSince = default;
        return false;
    }

    public bool TryGetHolder(Guid agentId, out Holder holder)
    {
        lock (_gate)
        {
            return _holders.TryGetValue(agentId, out holder!) && !holder.Removed;
        }
    }

    public void Connected(Guid agentId, Guid replica, Guid connection, DateTime since)
    {
        lock (_gate)
        {
            _holders[agentId] = new Holder(replica, connection, since, ++_version, Removed: false);
        }
    }

    /// <summary>Forgets the agent's socket only if it is still the one that closed (a newer one may have replaced it).</summary>
    public void Disconnected(Guid agentId, Guid connection)
    {
        lock (_gate)
        {
            if (_holders.TryGetValue(agentId, out var holder) && holder.Connection == connection)
            {
                _holders[agentId] = holder with { Version = ++_version, Removed = true };
            }
        }
    }

    public void PresenceOf(Guid replica, Presence presence)
    {
        if (replica == self.Id)
        {
            return;
        }

        lock (_gate)
        {
            _replicas[replica] = new ReplicaPresence(presence.FleetSubscribers, presence.Stacks.ToHashSet(), ++_version, Removed: false);
        }
    }

    public bool AnyRemoteFleetSubscribers
    {
        get
        {
            lock (_gate)
            {
                return _replicas.Values.Any(r => !r.Removed && r.FleetSubscribers > 0);
            }
        }
    }

    public bool RemoteSubscribesTo(Guid stackId)
    {
        lock (_gate)
        {
            foreach (var replica in _replicas.Values)
            {
                if (!replica.Removed && replica.Stacks.Contains(stackId))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Replaces what the tables say, except entries a notification touched after <paramref name="fromVersion"/>.</summary>
    public void ApplySnapshot(long fromVersion, IReadOnlyList<SnapshotConnection> connections, IReadOnlyList<SnapshotReplica> replicas)
    {
        lock (_gate)
        {
            Replace(_holders, fromVersion, connections.ToDictionary(c => c.AgentId, c => new Holder(c.Replica, c.Connection, c.Since, 0, false)), h => h.Version);
            Replace(_replicas, fromVersion,
                replicas.Where(r => r.Replica != self.Id).ToDictionary(r => r.Replica, r => new ReplicaPresence(r.FleetSubscribers, r.Stacks.ToHashSet(), 0, false)),
                r => r.Version);
        }
    }

    private static void Replace<TValue>(Dictionary<Guid, TValue> current, long fromVersion, Dictionary<Guid, TValue> snapshot, Func<TValue, long> version)
    {
        foreach (var (key, value) in current.ToList())
        {
            if (version(value) > fromVersion)
            {
                continue;
            }

            if (snapshot.TryGetValue(key, out var fresh))
            {
                current[key] = fresh;
            }
            else
            {
                current.Remove(key);
            }
        }

        foreach (var (key, value) in snapshot)
        {
            current.TryAdd(key, value);
        }
    }

    public sealed record Holder(Guid Replica, Guid Connection, DateTime Since, long Version, bool Removed);

    private sealed record ReplicaPresence(int FleetSubscribers, HashSet<Guid> Stacks, long Version, bool Removed);
}

internal sealed record SnapshotConnection(Guid AgentId, Guid Replica, Guid Connection, DateTime Since);

internal sealed record SnapshotReplica(Guid Replica, int FleetSubscribers, IReadOnlyCollection<Guid> Stacks);
