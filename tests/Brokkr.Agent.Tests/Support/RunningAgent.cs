using Brokkr.Agent.Loop;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Brokkr.Agent.Tests.Support;

/// <summary>A whole agent (worker and health server) in-process, against a <see cref="FakeBroker"/> and a <see cref="TestCluster"/>.</summary>
internal sealed class RunningAgent : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private RunningAgent(WebApplication app, Uri health)
    {
        _app = app;
        Health = health;
        Http = new HttpClient { BaseAddress = health };
    }

    public Uri Health { get; }

    public HttpClient Http { get; }

    public AgentWorker Worker => _app.Services.GetRequiredService<AgentWorker>();

    public AgentRuntime Runtime => _app.Services.GetRequiredService<AgentRuntime>();

    public static async Task<RunningAgent> StartAsync(FakeBroker broker, TestCluster cluster, string stateDir, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["agent:broker_url"] = "http://broker.invalid:3000",
            ["agent:pak"] = "brokkr_BRtest00_x",
            ["agent:agent_name"] = broker.Agent.Name,
            ["agent:cluster_name"] = broker.Agent.ClusterName,
            ["agent:kubeconfig_path"] = cluster.KubeconfigPath,
            ["agent:polling_interval"] = "1",
            ["agent:health_port"] = "0",
            ["agent:max_retries"] = "1",
            ["agent:state_dir"] = stateDir,
            ["agent:retry_base_seconds"] = "1",
            ["log:level"] = "warn",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var app = AgentApp.Build(new AgentAppOptions
        {
            Settings = settings,
            UseEnvironmentVariables = false,
            Environment = _ => null,
            Broker = _ => broker,
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address.Replace("[::]", "localhost").Replace("0.0.0.0", "localhost")).Port;
        return new RunningAgent(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async Task WaitUntilRunningAsync()
        => await Eventually.WaitAsync(() => Worker.Deployment is not null || Runtime.ExitCode != 0, "the agent has started its loops");

    /// <summary>Stops the host as SIGTERM would.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Http.Dispose();
        await _app.DisposeAsync();
    }
}
