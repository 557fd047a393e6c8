using Brokkr.FakeKube.Discovery;
using Brokkr.FakeKube.Logs;
using Brokkr.FakeKube.Store;

namespace Brokkr.FakeKube.Objects;

/// <summary>
/// What the real control plane does after a change, done at once under the store's lock: a deleted
/// namespace takes its objects with it, and a CRD's resources are served while it is Established and
/// removed, with their objects, when it is deleted.
/// </summary>
internal sealed class ClusterReactions(ResourceRegistry registry, PodLogs logs)
{
    private const string CrdTypeKey = "customresourcedefinitions." + BuiltinResources.CrdGroup;

    public void OnChange(ObjectStore store, WatchEvent change)
    {
        if (change.Object.TypeKey == "namespaces" && change.Type == WatchEvent.Deleted)
        {
            DeleteNamespaceContents(store, change.Object.Name);
        }

        if (change.Object.TypeKey == CrdTypeKey)
        {
            OnCrdChange(store, change);
        }
    }

    private void DeleteNamespaceContents(ObjectStore store, string ns)
    {
        foreach (var key in store.Keys(k => k.Namespace == ns))
        {
            store.Delete(key, orphanDependents: false, dryRun: false, ignoreFinalizers: true);
            logs.Forget(ns, key.Name);
        }
    }

    private void OnCrdChange(ObjectStore store, WatchEvent change)
    {
        var crd = change.Object.Body;
        var types = CustomResourceDefinitions.TypesOf(crd);
        if (change.Type != WatchEvent.Deleted && CustomResourceDefinitions.IsEstablished(crd))
        {
            registry.SetCustom(change.Object.Name, types);
            return;
        }

        registry.RemoveCustom(change.Object.Name);
        if (change.Type != WatchEvent.Deleted)
        {
            return;
        }

        foreach (var typeKey in types.Select(t => t.QualifiedName).Distinct())
        {
            foreach (var key in store.Keys(k => k.TypeKey == typeKey))
            {
                store.Delete(key, orphanDependents: false, dryRun: false, ignoreFinalizers: true);
            }

            store.CloseWatches(typeKey);
        }
    }
}
