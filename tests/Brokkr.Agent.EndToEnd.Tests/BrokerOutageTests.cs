using System.Net;
using Brokkr.Agent.Reporting;
using Brokkr.FakeKube;
using Brokkr.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.EndToEnd.Tests;

/// <summary>
/// Decides when the broker "goes down" for one agent: armed, the next target state the broker
/// answers that agent with 200 is the last thing it answers it, so the agent learns of a revision
/// and loses the broker before it can report the outcome. While down, the agent's requests (known by
/// its PAK) are dropped without an answer; the test then cuts its open connections with a <see cref="TcpProxy"/>.
/// </summary>
public sealed class BrokerGate
{
    private readonly TaskCompletionSource _cut = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public volatile string? AgentPak;

    public volatile bool Armed;

    public volatile bool Down;

    public Task Cut => _cut.Task;

    internal async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        var fromAgent = AgentPak is { } pak && context.Request.Headers.Authorization.ToString() == $"Bearer {pak}";
        if (fromAgent && Down)
        {
            context.Abort();
            return;
        }

        var armed = Armed;
        await next(context);
        if (fromAgent && armed && context.Request.Method == "GET" && context.Request.Path.Value!.EndsWith("/target-state", StringComparison.Ordinal)
            && context.Response.StatusCode == StatusCodes.Status200OK)
        {
            Armed = false;
            context.Response.OnCompleted(() =>
            {
                Down = true;
                _cut.TrySetResult();
                return Task.CompletedTask;
            });
        }
    }
}

/// <summary>The broker on a loopback port, reached by the agent through a proxy the test can cut.</summary>
public sealed class CuttableBrokkrFactory : BrokkrApiFactory
{
    private TcpProxy? _proxy;

    public CuttableBrokkrFactory() => UseKestrel();

    public BrokerGate Gate { get; } = new();

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["urls"] = "http://127.0.0.1:0" };

    /// <summary>Where the agent is pointed: the proxy in front of the broker.</summary>
    public TcpProxy Proxy
    {
        get
        {
            if (_proxy is null)
            {
                var address = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
                _proxy = new TcpProxy("127.0.0.1", address.Port);
                _proxy.Start();
            }

            return _proxy;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new GateFilter(Gate)));
    }

    public void StopProxy() => _proxy?.Stop();

    private sealed class GateFilter(BrokerGate gate) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextDelegate) => gate.HandleAsync(context, nextDelegate));
            next(app);
        };
    }
}

/// <summary>
/// The broker unreachable for <see cref="Outage"/> (issue 6): the agent keeps its cluster as it is,
/// stays up, queues the outcome it could not report, delivers it when the broker returns and picks
/// up new revisions again. Against the fake Kubernetes API, or the cluster of BROKKR_TEST_KUBECONFIG.
/// </summary>
public sealed class BrokerOutageTests(CuttableBrokkrFactory broker) : IClassFixture<CuttableBrokkrFactory>, IAsyncLifetime
{
    public static readonly TimeSpan Outage = TimeSpan.FromSeconds(60);

    private readonly Scenario _scenario = new(broker);
    private readonly string _stateDir = Path.Combine(Path.GetTempPath(), "brokkr-agent-outage", Guid.NewGuid().ToString("N"));
    private readonly string _ns = $"outage-{Guid.NewGuid():N}"[..18];
    private FakeKubeServer? _fake;
    private string _kubeconfig = null!;

    public async Task InitializeAsync() => (_fake, _kubeconfig) = await TestKube.StartAsync(_stateDir);

    public async Task DisposeAsync()
    {
        broker.StopProxy();
        if (_fake is null)
        {
            await Kubectl.RunAsync(_kubeconfig, "delete", "namespace", _ns, "--ignore-not-found", "--wait=false");
        }
        else
        {
            await _fake.DisposeAsync();
        }

        if (Directory.Exists(_stateDir))
        {
            Directory.Delete(_stateDir, recursive: true);
        }
    }

    [KubectlFact]
    public async Task With_the_broker_down_for_a_minute_the_agent_keeps_the_cluster_queues_its_report_and_resumes()
    {
        var (generator, _) = await _scenario.GeneratorAsync();
        var name = Scenario.Unique("agent");
        var (agentId, pak) = await _scenario.AgentAsync(name, "e2e", generator);
        var stack = await _scenario.StackAsync(generator);
        await _scenario.TargetAsync(agentId, stack);
        (await _scenario.Admin.PutJsonAsync($"/api/v1/agents/{agentId}", new { status = "ACTIVE" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        broker.Gate.AgentPak = pak;
        var healthPort = BrokerProcess.FreePort();

        var first = (await _scenario.DeploymentObjectAsync(stack, Bundle("1", "a", "b"))).Id();
        await using var agent = await InProcessAgent.StartAsync(Settings(name, pak, healthPort));
        await WaitForEventAsync(agentId, first, TimeSpan.FromSeconds(60));

        // The broker hands out revision 2 and then goes away before the agent can report applying it.
        var mark = _fake?.RequestMark ?? 0;
        var second = (await _scenario.DeploymentObjectAsync(stack, Bundle("2", "a", "b", "c"))).Id();
        broker.Gate.Armed = true;
        await broker.Gate.Cut.WaitAsync(TimeSpan.FromSeconds(30));
        var cutAt = DateTime.UtcNow;
        var worker = agent.Worker;
        await Eventually.WaitAsync(() => Task.FromResult(worker.Events!.Contains(second)), "the agent queues its report for revision 2", TimeSpan.FromSeconds(30));

        // Its requests already go unanswered; now its open connections (the WebSocket) drop and new ones are refused.
        broker.Proxy.Stop();
        (await HasEventAsync(agentId, second)).ShouldBeFalse("the broker was down: the report cannot have arrived");
        (await GetConfigMapAsync("c")).ShouldNotBeNull("revision 2 was applied during the outage");

        using var health = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{healthPort}/"), Timeout = TimeSpan.FromSeconds(5) };
        while (DateTime.UtcNow - cutAt < Outage)
        {
            (await health.GetStringAsync("healthz")).ShouldBe("OK");
            await Task.Delay(TimeSpan.FromSeconds(5));
        }

        // The cluster is kept as it is: nothing deleted, every object of revision 2 in place.
        _fake?.RequestsSince(mark).Where(r => r.Method == "DELETE").ShouldBeEmpty();
        foreach (var configMap in new[] { "a", "b", "c" })
        {
            (await GetConfigMapAsync(configMap)).ShouldNotBeNull()["data"]!["version"]!.GetValue<string>().ShouldBe("2");
        }

        worker.Events!.Contains(second).ShouldBeTrue("still queued at the end of the outage");
        var heartbeatBefore = await LastHeartbeatAsync(agentId);

        broker.Gate.Down = false;
        broker.Proxy.Start();
        var restoredAt = DateTime.UtcNow;

        // The queue backs off up to 60 s while the broker is away; its next attempt delivers the report.
        await WaitForEventAsync(agentId, second, EventQueue.MaxBackoff + TimeSpan.FromSeconds(30));
        await Eventually.WaitAsync(async () => await LastHeartbeatAsync(agentId) > heartbeatBefore, "heartbeats resume", TimeSpan.FromSeconds(30));

        var third = (await _scenario.DeploymentObjectAsync(stack, Bundle("3", "a", "b", "c", "d"))).Id();
        await WaitForEventAsync(agentId, third, TimeSpan.FromSeconds(60));
        (await GetConfigMapAsync("d")).ShouldNotBeNull();
        worker.Events!.Count.ShouldBe(0);
        (DateTime.UtcNow - restoredAt).ShouldBeLessThan(TimeSpan.FromMinutes(3));
    }

    private string Bundle(string version, params string[] configMaps) => $$"""
        apiVersion: v1
        kind: Namespace
        metadata: { name: {{_ns}} }
        {{string.Concat(configMaps.Select(c => $"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{ name: {c}, namespace: {_ns} }}\ndata: {{ version: \"{version}\" }}\n"))}}
        """;

    private Dictionary<string, string?> Settings(string name, string pak, int healthPort) => new()
    {
        ["agent:broker_url"] = $"http://127.0.0.1:{broker.Proxy.Port}/",
        ["agent:pak"] = pak,
        ["agent:agent_name"] = name,
        ["agent:cluster_name"] = "e2e",
        ["agent:kubeconfig_path"] = _kubeconfig,
        ["agent:polling_interval"] = "1",
        ["agent:health_port"] = healthPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["agent:max_retries"] = "5",
        ["agent:state_dir"] = Path.Combine(_stateDir, name),
        ["agent:retry_base_seconds"] = "1",
        ["agent:deployment_health_interval"] = "1",
        ["log:level"] = "error",
    };

    private async Task<bool> HasEventAsync(Guid agent, Guid deploymentObject, string status = "SUCCESS")
        => ((System.Text.Json.Nodes.JsonArray)await (await _scenario.Admin.GetAsync($"/api/v1/agents/{agent}/events")).JsonAsync(HttpStatusCode.OK))
            .Any(e => e!["deployment_object_id"]!.GetValue<string>() == deploymentObject.ToString() && e["status"]!.GetValue<string>() == status);

    private Task WaitForEventAsync(Guid agent, Guid deploymentObject, TimeSpan patience)
        => Eventually.WaitAsync(() => HasEventAsync(agent, deploymentObject), $"the broker holds a SUCCESS event for {deploymentObject}", patience);

    private async Task<DateTime?> LastHeartbeatAsync(Guid agent)
        => (await (await _scenario.Admin.GetAsync($"/api/v1/agents/{agent}")).JsonAsync(HttpStatusCode.OK))["last_heartbeat"]?.GetValue<DateTime>();

    private async Task<System.Text.Json.Nodes.JsonObject?> GetConfigMapAsync(string name)
    {
        var (code, output, _) = await Kubectl.RunAsync(_kubeconfig, "get", "configmap", name, "-n", _ns, "-o", "json");
        return code == 0 ? System.Text.Json.Nodes.JsonNode.Parse(output) as System.Text.Json.Nodes.JsonObject : null;
    }
}
