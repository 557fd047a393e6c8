using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Brokkr.Agent.Domain;
using Brokkr.Agent.Kubernetes;
using Brokkr.Contracts.Stacks;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.Apply;

/// <summary>What an apply wrote: every object of the revision where it now lives, and how many writes it took.</summary>
internal sealed record ApplyOutcome(IReadOnlyList<ObjectRef> Objects, int Writes);

/// <summary>
/// Applies one revision (behaviour §14.4): namespaces, then CRDs (waiting until they are established
/// and their kinds discoverable), then a server-side dry run of everything else, then server-side
/// apply with field manager <c>brokkr-controller</c> and force. Objects that already carry this
/// revision are not written. Objects of one priority group go in parallel (bounded). On any failure
/// the namespaces this apply created are deleted and <see cref="ApplyException"/> is thrown.
/// </summary>
internal sealed class Applier(KubeApi api, ResourceCatalog catalog, ApplierSettings settings, TimeProvider time, ILogger<Applier> logger)
{
    public async Task<ApplyOutcome> ApplyAsync(DeploymentObject revision, Guid agentId, IReadOnlyList<PlannedObject> plan, CancellationToken cancellationToken)
    {
        var created = new ConcurrentBag<string>();
        var writes = 0;
        try
        {
            var namespaces = plan.Where(p => p.Priority == ApplyPriority.Namespace).ToList();
            var crds = plan.Where(p => p.Priority == ApplyPriority.CustomResourceDefinition).ToList();
            var others = plan.Where(p => p.Priority == ApplyPriority.Other).ToList();
            var refs = new List<ObjectRef>();

            var resolvedNamespaces = await ResolveAllAsync(namespaces, crdsOfBundle: [], cancellationToken);
            writes += await WriteGroupAsync(resolvedNamespaces, revision, agentId, dryRunFirst: false, onCreated: n => created.Add(n), cancellationToken);
            refs.AddRange(resolvedNamespaces.Select(r => r.Ref));

            var resolvedCrds = await ResolveAllAsync(crds, crdsOfBundle: [], cancellationToken);
            var crdWrites = await WriteGroupAsync(resolvedCrds, revision, agentId, dryRunFirst: false, onCreated: null, cancellationToken);
            writes += crdWrites;
            refs.AddRange(resolvedCrds.Select(r => r.Ref));
            if (crdWrites > 0)
            {
                catalog.Invalidate();
            }

            await WaitForCrdsAsync(crds, cancellationToken);

            var resolvedOthers = await ResolveAllAsync(others, crds, cancellationToken);
            writes += await WriteGroupAsync(resolvedOthers, revision, agentId, dryRunFirst: true, onCreated: null, cancellationToken);
            refs.AddRange(resolvedOthers.Select(r => r.Ref));

            return new ApplyOutcome(refs, writes);
        }
        catch (Exception e) when (e is KubeApiException or ApplyException)
        {
            await RollBackAsync(created, cancellationToken);
            throw e as ApplyException ?? new ApplyException(e.Message, e);
        }
    }

    private sealed record Resolved(PlannedObject Planned, KubeResource Resource, string? Namespace, JsonObject Body)
    {
        public ObjectRef Ref => new(Planned.ApiVersion, Planned.Kind, Namespace, Planned.Name);

        public string Path => Resource.ObjectPath(Namespace, Planned.Name);
    }

    private async Task<List<Resolved>> ResolveAllAsync(IReadOnlyList<PlannedObject> group, IReadOnlyList<PlannedObject> crdsOfBundle, CancellationToken cancellationToken)
    {
        var resolved = new List<Resolved>(group.Count);
        foreach (var planned in group)
        {
            var resource = await catalog.ResolveAsync(planned.ApiVersion, planned.Kind, cancellationToken);
            if (resource is null && crdsOfBundle.Any(crd => Defines(crd, planned.ApiVersion, planned.Kind)))
            {
                resource = await WaitForDiscoveryAsync(planned.ApiVersion, planned.Kind, cancellationToken);
            }

            if (resource is null)
            {
                throw new ApplyException($"{planned}: the cluster has no kind {planned.Kind} in {planned.ApiVersion}");
            }

            var body = (JsonObject)planned.Body.DeepClone();
            var metadata = (JsonObject)body["metadata"]!;
            string? ns = null;
            if (resource.Namespaced)
            {
                ns = planned.Source.Namespace ?? settings.DefaultNamespace;
                metadata["namespace"] = ns;
            }
            else
            {
                metadata.Remove("namespace");
            }

            resolved.Add(new Resolved(planned, resource, ns, body));
        }

        return resolved;
    }

    /// <summary>Writes the objects that need it; a dry run of all of them first when asked. Returns the number written.</summary>
    private async Task<int> WriteGroupAsync(
        IReadOnlyList<Resolved> group, DeploymentObject revision, Guid agentId, bool dryRunFirst, Action<string>? onCreated, CancellationToken cancellationToken)
    {
        var needed = new ConcurrentBag<(Resolved Item, bool Existed)>();
        await ForEachAsync(group, async (item, ct) =>
        {
            var live = await api.GetAsync(item.Path, ct);
            if (ApplyPlanner.NeedsWrite(item.Planned, live, revision, agentId))
            {
                needed.Add((item, live is not null));
            }
        }, cancellationToken);

        var ordered = needed.OrderBy(n => n.Item.Planned.Source.Index).ToList();
        if (dryRunFirst)
        {
            await ForEachAsync(ordered, (n, ct) => api.ApplyAsync(n.Item.Path, n.Item.Body, BrokkrMetadata.FieldManager, force: true, dryRun: true, ct), cancellationToken);
        }

        await ForEachAsync(ordered, async (n, ct) =>
        {
            await api.ApplyAsync(n.Item.Path, n.Item.Body, BrokkrMetadata.FieldManager, force: true, dryRun: false, ct);
            if (!n.Existed)
            {
                onCreated?.Invoke(n.Item.Planned.Name);
            }

            logger.LogDebug("Applied {Object}", n.Item.Ref);
        }, cancellationToken);
        return ordered.Count;
    }

    private async Task ForEachAsync<T>(IReadOnlyList<T> items, Func<T, CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return;
        }

        // Every started call is awaited before the first failure is rethrown, so a rollback never races an apply.
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, settings.Parallelism), CancellationToken = failed.Token };
        var errors = new ConcurrentQueue<Exception>();
        try
        {
            await Parallel.ForEachAsync(items, options, async (item, ct) =>
            {
                try
                {
                    await action(item, ct);
                }
                catch (Exception e) when (e is KubeApiException or ApplyException)
                {
                    errors.Enqueue(e);
                    await failed.CancelAsync();
                }
            });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !errors.IsEmpty)
        {
            // Stopped early because an item failed; that failure is rethrown below.
        }

        if (errors.TryDequeue(out var first))
        {
            throw first;
        }
    }

    private static bool Defines(PlannedObject crd, string apiVersion, string kind)
    {
        var spec = crd.Body["spec"];
        var group = spec?["group"]?.GetValue<string>();
        var crdKind = spec?["names"]?["kind"]?.GetValue<string>();
        var versions = (spec?["versions"] as JsonArray)?.Select(v => v?["name"]?.GetValue<string>()).OfType<string>() ?? [];
        return crdKind == kind && versions.Any(v => $"{group}/{v}" == apiVersion);
    }

    private async Task WaitForCrdsAsync(IReadOnlyList<PlannedObject> crds, CancellationToken cancellationToken)
    {
        if (crds.Count == 0)
        {
            return;
        }

        var crdResource = await catalog.ResolveAsync(crds[0].ApiVersion, "CustomResourceDefinition", cancellationToken)
            ?? throw new ApplyException("the cluster does not serve CustomResourceDefinitions");
        var deadline = time.GetUtcNow() + settings.CrdWait;
        foreach (var crd in crds)
        {
            while (true)
            {
                var live = await api.GetAsync(crdResource.ObjectPath(null, crd.Name), cancellationToken);
                var established = (live?["status"]?["conditions"] as JsonArray)?
                    .Any(c => c?["type"]?.GetValue<string>() == "Established" && c?["status"]?.GetValue<string>() == "True") ?? false;
                if (established)
                {
                    break;
                }

                if (time.GetUtcNow() >= deadline)
                {
                    throw new ApplyException($"CustomResourceDefinition {crd.Name} was not established within {settings.CrdWait.TotalSeconds:0} s");
                }

                await Task.Delay(settings.CrdPollInterval, time, cancellationToken);
            }
        }
    }

    private async Task<KubeResource?> WaitForDiscoveryAsync(string apiVersion, string kind, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + settings.CrdWait;
        while (time.GetUtcNow() < deadline)
        {
            await Task.Delay(settings.CrdPollInterval, time, cancellationToken);
            if (await catalog.ResolveAsync(apiVersion, kind, cancellationToken) is { } resource)
            {
                return resource;
            }
        }

        return null;
    }

    private async Task RollBackAsync(IEnumerable<string> createdNamespaces, CancellationToken cancellationToken)
    {
        foreach (var name in createdNamespaces)
        {
            try
            {
                await api.DeleteAsync($"api/v1/namespaces/{Uri.EscapeDataString(name)}", cancellationToken);
                logger.LogInformation("Rolled back namespace {Namespace}, created by the failed apply", name);
            }
            catch (KubeApiException e)
            {
                logger.LogError("Could not roll back namespace {Namespace}: {Error}", name, e.Message);
            }
        }
    }
}

/// <summary>The applier's knobs, from the agent's options.</summary>
internal sealed record ApplierSettings(string DefaultNamespace, int Parallelism, TimeSpan CrdWait)
{
    public TimeSpan CrdPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);
}
