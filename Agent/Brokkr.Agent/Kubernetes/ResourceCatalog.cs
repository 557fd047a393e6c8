using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Brokkr.Agent.Kubernetes;

/// <summary>
/// Discovery, cached per group version and refreshed on a miss (a CRD applied a moment ago). An
/// unresolvable kind resolves to null and the caller fails closed.
/// </summary>
internal sealed class ResourceCatalog(KubeApi api, TimeProvider? time = null)
{
    /// <summary>How long the list of every resource type is reused; a CRD write invalidates it at once.</summary>
    public static readonly TimeSpan ListableLifetime = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<string, IReadOnlyList<KubeResource>> _byGroupVersion = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private (IReadOnlyList<KubeResource> Resources, DateTimeOffset At)? _listable;

    /// <summary>Forget the list of every resource type (after a CRD was written or removed).</summary>
    public void Invalidate() => _listable = null;

    public async Task<KubeResource?> ResolveAsync(string apiVersion, string kind, CancellationToken cancellationToken)
    {
        if (_byGroupVersion.TryGetValue(apiVersion, out var cached) && cached.FirstOrDefault(r => r.Kind == kind) is { } hit)
        {
            return hit;
        }

        var fresh = await LoadGroupVersionAsync(apiVersion, cancellationToken);
        return fresh.FirstOrDefault(r => r.Kind == kind);
    }

    /// <summary>
    /// Every resource type in the preferred version of every group that can be listed and deleted:
    /// what pruning and the start-up scan look through.
    /// </summary>
    public async Task<IReadOnlyList<KubeResource>> ListableAsync(CancellationToken cancellationToken)
    {
        if (_listable is { } cached && _time.GetUtcNow() - cached.At < ListableLifetime)
        {
            return cached.Resources;
        }

        var groupVersions = new List<string>();
        if (await api.GetAsync("api", cancellationToken) is { } core && core["versions"] is JsonArray coreVersions)
        {
            groupVersions.AddRange(coreVersions.Select(v => v?.GetValue<string>()).OfType<string>().Take(1));
        }

        if (await api.GetAsync("apis", cancellationToken) is { } groups && groups["groups"] is JsonArray groupList)
        {
            foreach (var group in groupList.OfType<JsonObject>())
            {
                var preferred = group["preferredVersion"]?["groupVersion"]?.GetValue<string>()
                    ?? (group["versions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault()?["groupVersion"]?.GetValue<string>();
                if (preferred is not null)
                {
                    groupVersions.Add(preferred);
                }
            }
        }

        var all = new List<KubeResource>();
        foreach (var groupVersion in groupVersions)
        {
            var resources = await LoadGroupVersionAsync(groupVersion, cancellationToken);
            all.AddRange(resources.Where(r => r.Can("list") && r.Can("delete")));
        }

        _listable = (all, _time.GetUtcNow());
        return all;
    }

    private async Task<IReadOnlyList<KubeResource>> LoadGroupVersionAsync(string apiVersion, CancellationToken cancellationToken)
    {
        var document = await api.GetAsync(KubeResource.GroupVersionPath(apiVersion), cancellationToken);
        if (document?["resources"] is not JsonArray resources)
        {
            _byGroupVersion.TryRemove(apiVersion, out _);
            return [];
        }

        var slash = apiVersion.IndexOf('/');
        var group = slash < 0 ? string.Empty : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        var parsed = resources.OfType<JsonObject>()
            .Select(r => (Name: r["name"]?.GetValue<string>(), Kind: r["kind"]?.GetValue<string>(), Namespaced: r["namespaced"]?.GetValue<bool>() ?? false,
                Verbs: (r["verbs"] as JsonArray)?.Select(v => v?.GetValue<string>()).OfType<string>().ToList() ?? []))
            .Where(r => r.Name is not null && r.Kind is not null && !r.Name.Contains('/'))
            .Select(r => new KubeResource(group, version, r.Kind!, r.Name!, r.Namespaced, r.Verbs))
            .ToList();
        _byGroupVersion[apiVersion] = parsed;
        return parsed;
    }
}
