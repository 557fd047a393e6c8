using System.Text.Json.Nodes;
using Brokkr.Agent.Domain;
using Brokkr.Agent.Kubernetes;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.Apply;

/// <summary>What a prune removed, and the objects it could not remove (kept in the applied set for the next try).</summary>
internal sealed record PruneOutcome(IReadOnlyList<ObjectRef> Deleted, IReadOnlyList<ObjectRef> Failed, IReadOnlyList<string> Errors);

/// <summary>
/// Prunes (behaviour §14.5): finds the stack's objects by listing every resource type with the
/// stack label selector, plus every object the applied set remembers (objects applied by the
/// reference agent carry no label), keeps those <see cref="PrunePlanner"/> selects, and deletes them
/// with the Kubernetes retry, namespaced objects first, then CRDs, then namespaces.
/// </summary>
internal sealed class Pruner(KubeApi api, ResourceCatalog catalog, KubeRetry retry, string? watchNamespace, ILogger<Pruner> logger)
{
    /// <summary>Deletes this agent's objects of the stack: all of them when <paramref name="currentChecksum"/> is null, else the stale ones.</summary>
    public async Task<PruneOutcome> PruneAsync(Guid stackId, Guid agentId, string? currentChecksum, IReadOnlyList<ObjectRef> known, CancellationToken cancellationToken)
    {
        var candidates = await FindAsync(stackId, known, cancellationToken);
        var doomed = PrunePlanner.SelectForDeletion(candidates.Select(c => c.Item), stackId, agentId, currentChecksum);
        var byItem = new Dictionary<JsonObject, KubeResource>(ReferenceEqualityComparer.Instance);
        foreach (var candidate in candidates)
        {
            byItem[candidate.Item] = candidate.Resource;
        }


        var deleted = new List<ObjectRef>();
        var failed = new List<ObjectRef>();
        var errors = new List<string>();
        var removedCrd = false;
        foreach (var item in doomed.OrderBy(i => DeleteOrder(byItem[i])))
        {
            var resource = byItem[item];
            var reference = ObjectRef.From(item)!;
            try
            {
                await retry.RunAsync(ct => api.DeleteAsync(resource.ObjectPath(reference.Namespace, reference.Name), ct), cancellationToken);
                deleted.Add(reference);
                removedCrd |= resource.Kind == "CustomResourceDefinition";
                logger.LogInformation("Pruned {Object} of stack {StackId}", reference, stackId);
            }
            catch (KubeApiException e)
            {
                failed.Add(reference);
                errors.Add($"{reference}: {e.Message}");
            }
        }

        if (removedCrd)
        {
            catalog.Invalidate();
        }

        return new PruneOutcome(deleted, failed, errors);
    }

    private static int DeleteOrder(KubeResource resource) => resource switch
    {
        { Kind: "Namespace", Group: "" } => 2,
        { Kind: "CustomResourceDefinition" } => 1,
        _ => 0,
    };

    private sealed record Candidate(JsonObject Item, KubeResource Resource);

    private async Task<List<Candidate>> FindAsync(Guid stackId, IReadOnlyList<ObjectRef> known, CancellationToken cancellationToken)
    {
        var found = new Dictionary<(string, string, string?, string), Candidate>();
        var resources = await catalog.ListableAsync(cancellationToken);
        var selector = $"{BrokkrMetadata.StackLabel}={stackId}";
        var failures = 0;
        KubeApiException? lastFailure = null;
        foreach (var resource in resources)
        {
            try
            {
                var ns = resource.Namespaced ? watchNamespace : null;
                foreach (var item in await api.ListAsync(resource.CollectionPath(ns), selector, cancellationToken))
                {
                    Add(found, item, resource);
                }
            }
            catch (KubeApiException e)
            {
                failures++;
                lastFailure = e;
                logger.LogDebug("Could not list {Resource}: {Error}", resource.Plural, e.Message);
            }
        }

        if (resources.Count > 0 && failures == resources.Count)
        {
            throw new ApplyException($"could not list any resource type to prune (check the agent's RBAC): {lastFailure?.Message}", lastFailure);
        }

        foreach (var reference in known)
        {
            var resource = await catalog.ResolveAsync(reference.ApiVersion, reference.Kind, cancellationToken);
            if (resource is null || found.ContainsKey(Key(resource, reference.Namespace, reference.Name)))
            {
                continue;
            }

            if (await api.GetAsync(resource.ObjectPath(reference.Namespace, reference.Name), cancellationToken) is { } item)
            {
                Add(found, item, resource);
            }
        }

        return found.Values.ToList();
    }

    private static void Add(Dictionary<(string, string, string?, string), Candidate> found, JsonObject item, KubeResource resource)
    {
        // A list answer's items often lack apiVersion and kind; the list's type supplies them.
        item["apiVersion"] ??= resource.ApiVersion;
        item["kind"] ??= resource.Kind;
        if (ObjectRef.From(item) is { } reference)
        {
            found[Key(resource, reference.Namespace, reference.Name)] = new Candidate(item, resource);
        }
    }

    private static (string, string, string?, string) Key(KubeResource resource, string? ns, string name) => (resource.Group, resource.Plural, ns, name);
}
