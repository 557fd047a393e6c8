using Brokkr.Agent.Kubernetes;
using Brokkr.FakeKube;
using k8s;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.Tests.Support;

/// <summary>
/// The cluster an integration test talks to: the fake API server, or the real cluster of
/// <c>BROKKR_TEST_KUBECONFIG</c> when that is set. Tests name their namespaces uniquely and remove
/// them at the end, so they can share a real cluster; fake-only assertions check <see cref="Fake"/>.
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    public const string RealClusterVariable = "BROKKR_TEST_KUBECONFIG";

    private readonly List<KubeApi> _clients = [];
    private readonly List<(string ApiVersion, string Kind, string Name)> _cleanup = [];

    private TestCluster(FakeKubeServer? fake, string kubeconfigPath)
    {
        Fake = fake;
        KubeconfigPath = kubeconfigPath;
    }

    /// <summary>Null against a real cluster.</summary>
    public FakeKubeServer? Fake { get; }

    public string KubeconfigPath { get; }

    public static async Task<TestCluster> StartAsync(FakeKubeOptions? options = null)
    {
        var real = Environment.GetEnvironmentVariable(RealClusterVariable);
        if (!string.IsNullOrWhiteSpace(real))
        {
            return new TestCluster(null, real);
        }

        var fake = await FakeKubeServer.StartAsync(options: options, logging: l => l.ClearProviders());
        var path = Path.Combine(Path.GetTempPath(), "brokkr-agent-tests", $"kubeconfig-{Guid.NewGuid():N}");
        fake.WriteKubeconfig(path);
        return new TestCluster(fake, path);
    }

    public KubeApi Connect()
    {
        var api = new KubeApi(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));
        _clients.Add(api);
        return api;
    }

    /// <summary>A fresh namespace name, deleted when the test ends.</summary>
    public string Namespace(string prefix = "t")
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 11)];
        _cleanup.Add(("v1", "Namespace", name));
        return name;
    }

    /// <summary>A cluster-scoped object (a CRD) to delete when the test ends.</summary>
    public void CleanUp(string apiVersion, string kind, string name) => _cleanup.Add((apiVersion, kind, name));

    public async ValueTask DisposeAsync()
    {
        if (Fake is null && _cleanup.Count > 0)
        {
            var api = Connect();
            var catalog = new ResourceCatalog(api);
            foreach (var (apiVersion, kind, name) in _cleanup)
            {
                try
                {
                    if (await catalog.ResolveAsync(apiVersion, kind, CancellationToken.None) is { } resource)
                    {
                        await api.DeleteAsync(resource.ObjectPath(null, name), CancellationToken.None);
                    }
                }
                catch (KubeApiException)
                {
                    // Best effort on a shared cluster.
                }
            }
        }

        foreach (var client in _clients)
        {
            client.Dispose();
        }

        if (Fake is not null)
        {
            await Fake.DisposeAsync();
            File.Delete(KubeconfigPath);
        }
    }
}
