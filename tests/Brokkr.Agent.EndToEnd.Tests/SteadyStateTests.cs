using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Brokkr.FakeKube;
using Brokkr.Testing;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.EndToEnd.Tests;

/// <summary>
/// Issue 6: once a few hundred objects are applied, an idle agent sends the API server no write at
/// all, and neither does an agent restarted with an empty state directory (every checksum matches).
/// Always against the fake, whose request log sees every call.
/// </summary>
public sealed class SteadyStateTests(KestrelBrokkrFactory broker) : IClassFixture<KestrelBrokkrFactory>, IAsyncLifetime
{
    private const int ConfigMaps = 300;

    private readonly Scenario _scenario = new(broker);
    private readonly string _stateDir = Path.Combine(Path.GetTempPath(), "brokkr-agent-steady", Guid.NewGuid().ToString("N"));
    private FakeKubeServer _fake = null!;
    private string _kubeconfig = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeKubeServer.StartAsync(logging: l => l.ClearProviders());
        _kubeconfig = _fake.WriteKubeconfig(Path.Combine(_stateDir, "kubeconfig"));
    }

    public async Task DisposeAsync()
    {
        await _fake.DisposeAsync();
        if (Directory.Exists(_stateDir))
        {
            Directory.Delete(_stateDir, recursive: true);
        }
    }

    [Fact]
    public async Task Idle_polls_and_a_restart_with_unchanged_checksums_write_nothing_to_the_api_server()
    {
        var (generator, _) = await _scenario.GeneratorAsync();
        var name = Scenario.Unique("steady");
        var (agentId, pak) = await _scenario.AgentAsync(name, "steady", generator);
        var stack = await _scenario.StackAsync(generator);
        await _scenario.TargetAsync(agentId, stack);
        (await _scenario.Admin.PutJsonAsync($"/api/v1/agents/{agentId}", new { status = "ACTIVE" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var ns = $"steady-{Guid.NewGuid():N}"[..18];
        var revision = (await _scenario.DeploymentObjectAsync(stack, Bundle(ns))).Id().ToString();

        await using (var agent = await InProcessAgent.StartAsync(Settings(name, pak, "first")))
        {
            await Eventually.WaitAsync(
                () => Task.FromResult(_fake.Cluster.List("v1", "ConfigMap", ns)
                    .Count(c => c["metadata"]!["annotations"]?["brokkr.io/deployment-object-id"]?.GetValue<string>() == revision) == ConfigMaps),
                $"all {ConfigMaps} ConfigMaps are applied");
            await Eventually.WaitAsync(async () =>
                {
                    var events = (JsonArray)await (await _scenario.Admin.GetAsync($"/api/v1/agents/{agentId}/events")).JsonAsync(HttpStatusCode.OK);
                    return events.Any(e => e!["deployment_object_id"]!.GetValue<string>() == revision && e["status"]!.GetValue<string>() == "SUCCESS");
                }, "the apply is reported");

            // Polling every second, and a full resync every sixth poll: 7 s covers both.
            var idle = _fake.RequestMark;
            await Task.Delay(TimeSpan.FromSeconds(7));
            _fake.RequestsSince(idle).Where(r => r.IsWrite || r.IsDryRun).Select(r => $"{r.Method} {r.Path}").ShouldBeEmpty();
        }

        var restart = _fake.RequestMark;
        await using (var agent = await InProcessAgent.StartAsync(Settings(name, pak, "second")))
        {
            await Eventually.WaitAsync(() => Task.FromResult(_fake.RequestsSince(restart).Count > 0), "the restarted agent reads the cluster");
            await Task.Delay(TimeSpan.FromSeconds(7));
        }

        _fake.RequestsSince(restart).Where(r => r.IsWrite || r.IsDryRun).Select(r => $"{r.Method} {r.Path}").ShouldBeEmpty();
        _fake.Cluster.List("v1", "ConfigMap", ns).Count.ShouldBe(ConfigMaps);
    }

    private Dictionary<string, string?> Settings(string name, string pak, string stateDir) => new()
    {
        ["agent:broker_url"] = broker.Url.ToString(),
        ["agent:pak"] = pak,
        ["agent:agent_name"] = name,
        ["agent:cluster_name"] = "steady",
        ["agent:kubeconfig_path"] = _kubeconfig,
        ["agent:polling_interval"] = "1",
        ["agent:health_port"] = "0",
        ["agent:state_dir"] = Path.Combine(_stateDir, stateDir),
        ["agent:deployment_health_interval"] = "1",
        ["log:level"] = "warn",
    };

    private static string Bundle(string ns)
    {
        var yaml = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"apiVersion: v1\nkind: Namespace\nmetadata: {{ name: {ns} }}\n"));
        for (var i = 0; i < ConfigMaps; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{ name: config-{i:D3}, namespace: {ns} }}\ndata: {{ index: \"{i}\" }}\n");
        }

        return yaml.ToString();
    }
}
