using System.Globalization;
using System.Text.Json.Nodes;
using Brokkr.FakeKube.Serialization;

namespace Brokkr.FakeKube.Store;

/// <summary>
/// Deletion: immediate, unless the object has finalizers, in which case it is only marked with a
/// deletionTimestamp and goes when a write removes its last finalizer. Dependents named by
/// ownerReferences go with their owner unless orphaned.
/// </summary>
internal sealed partial class ObjectStore
{
    /// <param name="ignoreFinalizers">For cascades the fake completes at once (namespaces, CRDs, reset), where the real server would wait.</param>
    public DeleteOutcome? Delete(
        ObjectKey key, bool orphanDependents, bool dryRun, Action<StoredObject>? precondition = null, bool ignoreFinalizers = false)
    {
        lock (_gate)
        {
            var live = Find(key);
            if (live is null)
            {
                return null;
            }

            precondition?.Invoke(live);
            if (dryRun)
            {
                return new DeleteOutcome(live, Pending: HasFinalizers(live.Body));
            }

            if (!ignoreFinalizers && HasFinalizers(live.Body))
            {
                return new DeleteOutcome(MarkDeleting(key, live), Pending: true);
            }

            return new DeleteOutcome(Remove(key, live, orphanDependents), Pending: false);
        }
    }

    private StoredObject MarkDeleting(ObjectKey key, StoredObject live)
    {
        if (live.Body["metadata"]?["deletionTimestamp"] is not null)
        {
            return live;
        }

        var body = (JsonObject)live.Body.DeepClone();
        body["metadata"]!["deletionTimestamp"] = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        body["metadata"]!["deletionGracePeriodSeconds"] = 0;
        var marked = Freeze(key, new Proposal(body, live.Managers), ++_version, dryRun: false);
        Put(key, live, marked);
        Publish(new WatchEvent(WatchEvent.Modified, marked));
        return marked;
    }

    private StoredObject Remove(ObjectKey key, StoredObject live, bool orphanDependents)
    {
        _version++;
        var body = (JsonObject)live.Body.DeepClone();
        body["metadata"]!["resourceVersion"] = _version.ToString(CultureInfo.InvariantCulture);
        var gone = live with { ResourceVersion = _version, Body = body, Json = KubeJson.Serialize(body) };
        _objects[key.TypeKey].Remove((key.Namespace, key.Name));
        Unindex(key, live);
        Publish(new WatchEvent(WatchEvent.Deleted, gone));

        if (!orphanDependents && _dependents.Remove(live.Uid, out var dependents))
        {
            foreach (var dependent in dependents)
            {
                Delete(dependent, orphanDependents: false, dryRun: false);
            }
        }

        return gone;
    }

    private static bool HasFinalizers(JsonObject body) => body["metadata"]?["finalizers"] is JsonArray { Count: > 0 };

    /// <summary>An object being deleted whose last finalizer a write has just removed.</summary>
    private static bool Finalized(JsonObject body) =>
        body["metadata"]?["deletionTimestamp"] is not null && !HasFinalizers(body);
}
