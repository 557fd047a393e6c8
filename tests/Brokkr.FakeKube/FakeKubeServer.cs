using System.Net;
using Brokkr.FakeKube.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Brokkr.FakeKube;

/// <summary>
/// A fake Kubernetes API server on loopback, started in-process by tests or by <c>eng/fake-kube</c>.
/// <code>
/// await using var kube = await FakeKubeServer.StartAsync();
/// kube.WriteKubeconfig(path);                 // for kubectl or KubernetesClient
/// kube.Cluster.SetStatus(...);                // play the controllers
/// kube.AddFault(FaultRule.TooManyRequests("/configmaps"));
/// kube.Requests.Where(r => r.IsWrite);        // assert what a client sent
/// </code>
/// </summary>
public sealed class FakeKubeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeKubeState _state;

    private FakeKubeServer(WebApplication app, FakeKubeState state, Uri url)
    {
        _app = app;
        _state = state;
        Url = url;
        Cluster = new FakeCluster(state);
    }

    /// <summary>The server's base URL, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Url { get; }

    public int Port => Url.Port;

    public string Token => _state.Options.Token;

    public FakeCluster Cluster { get; }

    /// <summary>The API requests so far (admin requests under /_fake are not recorded).</summary>
    public IReadOnlyList<RecordedRequest> Requests => _state.Requests.Since(0);

    /// <summary>The sequence number of the last recorded request; pass it to <see cref="RequestsSince"/> later.</summary>
    public long RequestMark => _state.Requests.LastSequence;

    public IReadOnlyList<RecordedRequest> RequestsSince(long mark) => _state.Requests.Since(mark);

    public void ClearRequests() => _state.Requests.Clear();

    public void AddFault(FaultRule rule) => _state.Faults.Add(rule);

    public void ClearFaults() => _state.Faults.Clear();

    /// <summary>Starts on <paramref name="port"/>, or on a free port when 0.</summary>
    public static async Task<FakeKubeServer> StartAsync(
        int port = 0, FakeKubeOptions? options = null, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        var state = new FakeKubeState(options ?? new FakeKubeOptions());
        var app = FakeKubeApp.Build(state, port, logging);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bound = new Uri(address).Port;
        return new FakeKubeServer(app, state, new Uri($"http://{IPAddress.Loopback}:{bound}/"));
    }

    public string KubeconfigYaml(string contextName = "fake-kube") => Serialization.Kubeconfig.Render(Url, Token, contextName);

    /// <summary>Writes a kubeconfig whose current context is this server; returns the path.</summary>
    public string WriteKubeconfig(string path, string contextName = "fake-kube")
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, KubeconfigYaml(contextName));
        return path;
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> fires or the host is told to stop (SIGTERM, SIGINT).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async Task StopAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
