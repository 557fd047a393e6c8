using System.Text.Json.Nodes;
using Brokkr.FakeKube.Api;
using Brokkr.FakeKube.Discovery;
using Brokkr.FakeKube.Faults;
using Brokkr.FakeKube.Logs;
using Brokkr.FakeKube.Objects;
using Brokkr.FakeKube.Requests;
using Brokkr.FakeKube.Store;

namespace Brokkr.FakeKube.Hosting;

/// <summary>Everything one fake server holds, shared by its HTTP endpoints and its in-process handle.</summary>
internal sealed class FakeKubeState
{
    public static readonly IReadOnlyList<string> InitialNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    public FakeKubeState(FakeKubeOptions options)
    {
        Options = options;
        Store = new ObjectStore(new WatchHub(options.WatchHistory), options.Clock);
        Requests = new RequestLog(options.RequestLogLimit);
        Store.Observe(new ClusterReactions(Registry, Logs).OnChange);
        SeedNamespaces();
    }

    public FakeKubeOptions Options { get; }

    public ResourceRegistry Registry { get; } = new();

    public ObjectStore Store { get; }

    public PodLogs Logs { get; } = new();

    public FaultInjector Faults { get; } = new();

    public RequestLog Requests { get; }

    public DateTimeOffset Now => Options.Clock.GetUtcNow();

    public ResourceType NamespaceType => Registry.Find("", "v1", "namespaces")!;

    public static ObjectKey KeyOf(ResourceType type, string? ns, string name) =>
        new(type.QualifiedName, type.Namespaced ? ns ?? string.Empty : string.Empty, name);

    public ResourceType RequireType(string apiVersion, string kind) =>
        Registry.FindByKind(apiVersion, kind)
        ?? throw new ApiException(404, "NotFound", $"no matches for kind \"{kind}\" in version \"{apiVersion}\"");

    public void RequireNamespace(string ns)
    {
        if (Store.Get(KeyOf(NamespaceType, null, ns)) is null)
        {
            throw ApiException.NamespaceNotFound(ns);
        }
    }

    /// <summary>The object as the requested version presents it (custom resources may be served at several versions).</summary>
    public static string Render(StoredObject stored, ResourceType type)
    {
        if (stored.ApiVersion == type.GroupVersion)
        {
            return stored.Json;
        }

        var body = stored.CloneBody();
        body["apiVersion"] = type.GroupVersion;
        return Serialization.KubeJson.Serialize(body);
    }

    /// <summary>Removes every object (namespaces and CRDs take theirs with them), then recreates the initial namespaces.</summary>
    public void Reset()
    {
        foreach (var key in Store.Keys(_ => true))
        {
            Store.Delete(key, orphanDependents: false, dryRun: false, ignoreFinalizers: true);
        }

        Logs.Clear();
        SeedNamespaces();
    }

    private void SeedNamespaces()
    {
        foreach (var ns in InitialNamespaces)
        {
            var body = new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } };
            Store.Write(KeyOf(NamespaceType, null, ns), live => live is null
                ? new Proposal(ObjectLifecycle.PrepareCreate(NamespaceType, body, string.Empty, Now, Options), [])
                : new Proposal(live.Body, live.Managers), dryRun: false);
        }
    }
}
