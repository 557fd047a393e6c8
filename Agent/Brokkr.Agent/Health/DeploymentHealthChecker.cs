using System.Text.Json.Nodes;
using Brokkr.Agent.Domain;
using Brokkr.Agent.Kubernetes;
using Brokkr.Contracts.Health;

namespace Brokkr.Agent.Health;

/// <summary>
/// Collects what <see cref="HealthEvaluator"/> needs for every applied deployment object: the pods
/// (listed once, cluster-wide or in the watch namespace, attributed by <see cref="PodAttributor"/>)
/// and the object's own workloads. A pod-listing error reports every object as unknown.
/// </summary>
internal sealed class DeploymentHealthChecker(KubeApi api, ResourceCatalog catalog, string? watchNamespace, TimeProvider time)
{
    public async Task<IReadOnlyList<DeploymentObjectHealthUpdate>> CheckAsync(IReadOnlyList<AppliedStack> stacks, CancellationToken cancellationToken)
    {
        var checkedAt = time.GetUtcNow().UtcDateTime;
        Dictionary<string, List<JsonObject>> podsByObject;
        try
        {
            podsByObject = await PodsByDeploymentObjectAsync(cancellationToken);
        }
        catch (KubeApiException e)
        {
            return stacks.Select(s => new DeploymentObjectHealthUpdate(s.DeploymentObjectId, HealthEvaluator.Unknown, checkedAt,
                new HealthSummary(0, 0, [$"PodDiscoveryFailed: {e.Message}"]))).ToList();
        }

        var updates = new List<DeploymentObjectHealthUpdate>();
        foreach (var stack in stacks)
        {
            var workloads = new List<JsonObject>();
            foreach (var reference in stack.Objects.Where(o => HealthEvaluator.WorkloadKinds.Contains(o.Kind)))
            {
                if (await catalog.ResolveAsync(reference.ApiVersion, reference.Kind, cancellationToken) is { } resource
                    && await api.GetAsync(resource.ObjectPath(reference.Namespace, reference.Name), cancellationToken) is { } live)
                {
                    live["kind"] ??= reference.Kind;
                    workloads.Add(live);
                }
            }

            var pods = podsByObject.TryGetValue(stack.DeploymentObjectId.ToString(), out var attributed) ? attributed : [];
            var (status, summary) = HealthEvaluator.Evaluate(pods, workloads);
            updates.Add(new DeploymentObjectHealthUpdate(stack.DeploymentObjectId, status, checkedAt, summary));
        }

        return updates;
    }

    private async Task<Dictionary<string, List<JsonObject>>> PodsByDeploymentObjectAsync(CancellationToken cancellationToken)
    {
        var path = watchNamespace is null ? "api/v1/pods" : $"api/v1/namespaces/{Uri.EscapeDataString(watchNamespace)}/pods";
        var pods = await api.ListAsync(path, null, cancellationToken);
        var owners = new Dictionary<string, JsonObject?>();
        var result = new Dictionary<string, List<JsonObject>>();
        foreach (var pod in pods)
        {
            var id = await PodAttributor.AttributeAsync(pod, async (apiVersion, kind, ns, name) =>
            {
                var key = $"{apiVersion}/{kind}/{ns}/{name}";
                if (!owners.TryGetValue(key, out var owner))
                {
                    var resource = await catalog.ResolveAsync(apiVersion, kind, cancellationToken);
                    owner = resource is null ? null : await api.GetAsync(resource.ObjectPath(ns, name), cancellationToken);
                    owners[key] = owner;
                }

                return owner;
            });
            if (id is null)
            {
                continue;
            }

            if (!result.TryGetValue(id, out var list))
            {
                result[id] = list = [];
            }

            list.Add(pod);
        }

        return result;
    }
}
