using Brokkr.Agent.Domain;
using Brokkr.Agent.Kubernetes;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.Apply;

/// <summary>
/// Rebuilds the applied set from the cluster when none was saved (first start, lost state, or
/// taking over from the reference agent): every object carrying this agent's owner annotation,
/// grouped by stack. Objects are listed by the stack label; only when none carries it (a first
/// start, or objects of the reference agent, which stamps no label) is every object read.
/// </summary>
internal sealed class ClusterScanner(KubeApi api, ResourceCatalog catalog, string? watchNamespace, ILogger<ClusterScanner> logger)
{
    public async Task<Dictionary<Guid, AppliedStack>> ScanAsync(Guid agentId, CancellationToken cancellationToken)
    {
        var labelled = await ScanAsync(agentId, BrokkrMetadata.StackLabel, cancellationToken);
        return labelled.Count > 0 ? labelled : await ScanAsync(agentId, labelSelector: null, cancellationToken);
    }

    private async Task<Dictionary<Guid, AppliedStack>> ScanAsync(Guid agentId, string? labelSelector, CancellationToken cancellationToken)
    {
        var owner = agentId.ToString();
        var byStack = new Dictionary<Guid, List<(ObjectRef Ref, string? ObjectId, string? Checksum)>>();
        foreach (var resource in await catalog.ListableAsync(cancellationToken))
        {
            if (resource.Plural == "events")
            {
                continue;
            }

            try
            {
                foreach (var item in await api.ListAsync(resource.CollectionPath(resource.Namespaced ? watchNamespace : null), labelSelector, cancellationToken))
                {
                    if (BrokkrMetadata.Annotation(item, BrokkrMetadata.OwnerAnnotation) != owner
                        || !Guid.TryParse(BrokkrMetadata.Annotation(item, BrokkrMetadata.StackAnnotation), out var stackId))
                    {
                        continue;
                    }

                    item["apiVersion"] ??= resource.ApiVersion;
                    item["kind"] ??= resource.Kind;
                    if (ObjectRef.From(item) is not { } reference)
                    {
                        continue;
                    }

                    if (!byStack.TryGetValue(stackId, out var list))
                    {
                        byStack[stackId] = list = [];
                    }

                    list.Add((reference, BrokkrMetadata.Annotation(item, BrokkrMetadata.DeploymentObjectAnnotation), BrokkrMetadata.Annotation(item, BrokkrMetadata.ChecksumAnnotation)));
                }
            }
            catch (KubeApiException e)
            {
                logger.LogDebug("Could not list {Resource} while rebuilding the applied set: {Error}", resource.Plural, e.Message);
            }
        }

        var result = new Dictionary<Guid, AppliedStack>();
        foreach (var (stackId, objects) in byStack)
        {
            // One revision throughout means it is in place; a mix (an apply cut short) is re-applied, writing only what differs.
            var ids = objects.Select(o => o.ObjectId).Distinct().ToList();
            var revision = ids.Count == 1 && Guid.TryParse(ids[0], out var id) ? id : Guid.Empty;
            var checksum = objects.Select(o => o.Checksum).FirstOrDefault() ?? string.Empty;
            result[stackId] = new AppliedStack(stackId, revision, 0, checksum, StackOutcome.Applied, 0, null, objects.Select(o => o.Ref).Distinct().ToList());
        }

        logger.LogInformation("Rebuilt the applied set from the cluster ({How}): {Stacks} stacks, {Objects} objects",
            labelSelector is null ? "every object" : "by label", result.Count, result.Values.Sum(s => s.Objects.Count));
        return result;
    }
}
