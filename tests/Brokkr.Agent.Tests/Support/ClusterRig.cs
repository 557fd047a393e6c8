using System.Text.Json.Nodes;
using Brokkr.Agent.Apply;
using Brokkr.Agent.Domain;
using Brokkr.Agent.Kubernetes;
using Brokkr.Contracts.Stacks;
using Microsoft.Extensions.Logging.Abstractions;

namespace Brokkr.Agent.Tests.Support;

/// <summary>The agent's Kubernetes side wired up against a <see cref="TestCluster"/>, for one agent id.</summary>
internal sealed class ClusterRig
{
    public ClusterRig(TestCluster cluster, Guid? agentId = null, string? watchNamespace = null)
    {
        Cluster = cluster;
        AgentId = agentId ?? Guid.NewGuid();
        Api = cluster.Connect();
        Catalog = new ResourceCatalog(Api);
        var applier = new Applier(Api, Catalog, new ApplierSettings(watchNamespace ?? "default", 4, TimeSpan.FromSeconds(20)) { CrdPollInterval = TimeSpan.FromMilliseconds(100) },
            TimeProvider.System, NullLogger<Applier>.Instance);
        var pruner = new Pruner(Api, Catalog, new KubeRetry(TimeProvider.System), watchNamespace, NullLogger<Pruner>.Instance);
        Reconciler = new Reconciler(applier, pruner, TimeProvider.System, NullLogger<Reconciler>.Instance);
    }

    public TestCluster Cluster { get; }

    public Guid AgentId { get; }

    public KubeApi Api { get; }

    public ResourceCatalog Catalog { get; }

    public Reconciler Reconciler { get; }

    public static DeploymentObject Revision(Guid stackId, string yaml, long sequence = 1) => new(
        Guid.NewGuid(), DateTime.UtcNow, DateTime.UtcNow, null, sequence, stackId, yaml,
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(yaml))), DateTime.UtcNow, false);

    public static DeploymentObject Marker(Guid stackId, long sequence) => new(
        Guid.NewGuid(), DateTime.UtcNow, DateTime.UtcNow, null, sequence, stackId, string.Empty, "d41d8cd98f00b204e9800998ecf8427e", DateTime.UtcNow, true);

    public async Task<JsonObject?> GetAsync(string apiVersion, string kind, string? ns, string name)
    {
        var resource = await Catalog.ResolveAsync(apiVersion, kind, CancellationToken.None) ?? throw new InvalidOperationException($"no {kind} in {apiVersion}");
        return await Api.GetAsync(resource.ObjectPath(ns, name), CancellationToken.None);
    }

    public async Task<AppliedStack> ApplyOkAsync(DeploymentObject revision, AppliedStack? previous = null)
    {
        var result = await Reconciler.ApplyAsync(revision, AgentId, previous, CancellationToken.None);
        result.EventStatus.ShouldBe(Reconciler.Success, result.Message);
        return result.State!;
    }
}
