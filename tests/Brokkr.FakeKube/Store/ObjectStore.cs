using System.Globalization;
using System.Text.Json.Nodes;
using Brokkr.FakeKube.Apply;
using Brokkr.FakeKube.Serialization;

namespace Brokkr.FakeKube.Store;

/// <summary>
/// The in-memory object store. Every read and write takes one lock: operations are microseconds long,
/// and one lock makes resourceVersion order, watch order and cascades trivially consistent.
/// </summary>
internal sealed partial class ObjectStore(WatchHub watch, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<(string Ns, string Name), StoredObject>> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<ObjectKey>> _dependents = new(StringComparer.Ordinal);
    private readonly List<Action<ObjectStore, WatchEvent>> _observers = [];
    private long _version;

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

    /// <summary>Called under the lock after every committed change; may itself write.</summary>
    public void Observe(Action<ObjectStore, WatchEvent> observer)
    {
        lock (_gate)
        {
            _observers.Add(observer);
        }
    }

    public StoredObject? Get(ObjectKey key)
    {
        lock (_gate)
        {
            return Find(key);
        }
    }

    public (IReadOnlyList<StoredObject> Items, long Version) List(string typeKey, string? ns, Func<StoredObject, bool> filter)
    {
        lock (_gate)
        {
            if (!_objects.TryGetValue(typeKey, out var byName))
            {
                return ([], _version);
            }

            var items = byName.Values
                .Where(o => (ns is null || o.Namespace == ns) && filter(o))
                .OrderBy(o => o.Namespace, StringComparer.Ordinal)
                .ThenBy(o => o.Name, StringComparer.Ordinal)
                .ToList();
            return (items, _version);
        }
    }

    public int Count(string typeKey)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(typeKey, out var byName) ? byName.Count : 0;
        }
    }

    /// <summary>
    /// Runs <paramref name="decide"/> on the live object (or null) under the lock and commits what it
    /// proposes. A proposal equal to the live object is a no-op: no new resourceVersion, no watch event.
    /// </summary>
    public StoredObject Write(ObjectKey key, Func<StoredObject?, Proposal> decide, bool dryRun)
    {
        lock (_gate)
        {
            var live = Find(key);
            var proposal = decide(live);
            if (live is not null && Unchanged(live, proposal))
            {
                return live;
            }

            if (live is not null && Finalized(proposal.Body))
            {
                return dryRun ? live : Remove(key, live, orphanDependents: false);
            }

            var version = dryRun ? live?.ResourceVersion ?? 0 : _version + 1;
            var stored = Freeze(key, proposal, version, dryRun);
            if (dryRun)
            {
                return stored;
            }

            _version = version;
            Put(key, live, stored);
            Publish(new WatchEvent(live is null ? WatchEvent.Added : WatchEvent.Modified, stored));
            return stored;
        }
    }

    /// <summary>
    /// Opens a watch. Without a resourceVersion (or with "0") it starts with the current objects as ADDED
    /// events, like the real server; with one it replays the changes after it. Null initial events mean
    /// that version is too old.
    /// </summary>
    public (IReadOnlyList<WatchEvent>? Initial, WatchSubscription Subscription) OpenWatch(
        string typeKey, string? ns, Func<StoredObject, bool> filter, long? fromVersion)
    {
        lock (_gate)
        {
            var subscription = watch.Subscribe(typeKey, ns, filter);
            if (fromVersion is { } version and > 0)
            {
                return (watch.Since(version, subscription), subscription);
            }

            var current = List(typeKey, ns, filter).Items.Select(o => new WatchEvent(WatchEvent.Added, o)).ToList();
            return (current, subscription);
        }
    }

    /// <summary>Ends the watches on a resource type that no longer exists.</summary>
    public void CloseWatches(string typeKey) => watch.CloseAll(typeKey);

    public IReadOnlyList<ObjectKey> Keys(Func<ObjectKey, bool> predicate)
    {
        lock (_gate)
        {
            return _objects.SelectMany(t => t.Value.Keys.Select(k => new ObjectKey(t.Key, k.Ns, k.Name)))
                .Where(predicate)
                .ToList();
        }
    }

    private StoredObject? Find(ObjectKey key) =>
        _objects.TryGetValue(key.TypeKey, out var byName) && byName.TryGetValue((key.Namespace, key.Name), out var found)
            ? found
            : null;

    private static bool Unchanged(StoredObject live, Proposal proposal)
    {
        var a = WithoutBookkeeping(live.Body);
        var b = WithoutBookkeeping(proposal.Body);
        return JsonNode.DeepEquals(a, b)
               && live.Managers.Count == proposal.Managers.Count
               && live.Managers.All(m => proposal.Managers.Any(p => p.IsSameManager(m) && p.Fields.SetEquals(m.Fields)));
    }

    private static JsonObject WithoutBookkeeping(JsonObject body)
    {
        var copy = (JsonObject)body.DeepClone();
        if (copy["metadata"] is JsonObject metadata)
        {
            metadata.Remove("resourceVersion");
            metadata.Remove("managedFields");
        }

        return copy;
    }

    private static StoredObject Freeze(ObjectKey key, Proposal proposal, long version, bool dryRun)
    {
        var body = (JsonObject)proposal.Body.DeepClone();
        var metadata = body["metadata"] as JsonObject ?? [];
        body["metadata"] = metadata;
        if (version > 0)
        {
            metadata["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture);
        }
        else if (dryRun)
        {
            metadata.Remove("resourceVersion");
        }

        metadata["managedFields"] = ManagedFieldsRenderer.Render(proposal.Managers);
        var uid = metadata["uid"]?.GetValue<string>() ?? string.Empty;
        var apiVersion = body["apiVersion"]?.GetValue<string>() ?? string.Empty;
        var json = KubeJson.Serialize(body);

        // Stored as parsed from its JSON, so that every value reads the same way whatever built it.
        return new StoredObject(key.TypeKey, key.Namespace, key.Name, uid, apiVersion, version, JsonNode.Parse(json)!.AsObject(), json, proposal.Managers);
    }

    private void Put(ObjectKey key, StoredObject? previous, StoredObject stored)
    {
        if (!_objects.TryGetValue(key.TypeKey, out var byName))
        {
            byName = [];
            _objects[key.TypeKey] = byName;
        }

        byName[(key.Namespace, key.Name)] = stored;
        if (previous is not null)
        {
            Unindex(key, previous);
        }

        foreach (var owner in stored.OwnerUids)
        {
            if (!_dependents.TryGetValue(owner, out var set))
            {
                set = [];
                _dependents[owner] = set;
            }

            set.Add(key);
        }
    }

    private void Unindex(ObjectKey key, StoredObject previous)
    {
        foreach (var owner in previous.OwnerUids)
        {
            if (_dependents.TryGetValue(owner, out var set))
            {
                set.Remove(key);
            }
        }
    }

    private void Publish(WatchEvent e)
    {
        watch.Publish(e);
        foreach (var observer in _observers.ToList())
        {
            observer(this, e);
        }
    }
}
