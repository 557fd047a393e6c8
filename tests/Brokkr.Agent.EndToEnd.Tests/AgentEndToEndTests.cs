using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Brokkr.Agent.Loop;
using Brokkr.FakeKube;
using Brokkr.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.EndToEnd.Tests;

/// <summary>
/// The broker (real pipeline, PostgreSQL), the fake Kubernetes API (or the cluster of
/// BROKKR_TEST_KUBECONFIG) and the agent, talking over TCP exactly as in production.
/// </summary>
public sealed class AgentEndToEndTests(KestrelBrokkrFactory broker) : IClassFixture<KestrelBrokkrFactory>, IAsyncLifetime
{
    private readonly Scenario _scenario = new(broker);
    private readonly string _stateDir = Path.Combine(Path.GetTempPath(), "brokkr-agent-e2e", Guid.NewGuid().ToString("N"));
    private FakeKubeServer? _fake;
    private string _kubeconfig = null!;
    private readonly List<string> _namespaces = [];

    public async Task InitializeAsync() => (_fake, _kubeconfig) = await TestKube.StartAsync(_stateDir);

    public async Task DisposeAsync()
    {
        if (_fake is null)
        {
            foreach (var ns in _namespaces)
            {
                await Kubectl.RunAsync(_kubeconfig, "delete", "namespace", ns, "--ignore-not-found", "--wait=false");
            }
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

    private string Namespace(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 11)];
        _namespaces.Add(name);
        return name;
    }

    /// <summary>A generator, an ACTIVE agent registered with it and a stack targeted at it.</summary>
    private async Task<(Guid Agent, string Name, string Pak, Guid Stack)> WorldAsync()
    {
        var (generator, _) = await _scenario.GeneratorAsync();
        var name = Scenario.Unique("agent");
        var (agent, pak) = await _scenario.AgentAsync(name, "e2e", generator);
        var stack = await _scenario.StackAsync(generator);
        await _scenario.TargetAsync(agent, stack);
        (await _scenario.Admin.PutJsonAsync($"/api/v1/agents/{agent}", new { status = "ACTIVE" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        return (agent, name, pak, stack);
    }

    private Dictionary<string, string?> AgentSettings(string name, string pak, int healthPort = 0) => new()
    {
        ["agent:broker_url"] = broker.Url.ToString(),
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
        ["log:level"] = "warn",
    };

    private async Task<JsonArray> EventsAsync(Guid agent)
        => (JsonArray)await (await _scenario.Admin.GetAsync($"/api/v1/agents/{agent}/events")).JsonAsync(HttpStatusCode.OK);

    private async Task WaitForEventAsync(Guid agent, Guid deploymentObject, string status = "SUCCESS")
        => await Eventually.WaitAsync(
            async () => (await EventsAsync(agent)).Any(e => e!["deployment_object_id"]!.GetValue<string>() == deploymentObject.ToString() && e["status"]!.GetValue<string>() == status),
            $"the broker holds a {status} event for {deploymentObject}");

    private async Task<JsonObject?> GetAsync(string resource, string? ns, string name)
    {
        var (code, output, _) = await Kubectl.RunAsync(_kubeconfig, ns is null ? ["get", resource, name, "-o", "json"] : ["get", resource, name, "-n", ns, "-o", "json"]);
        return code == 0 ? JsonNode.Parse(output) as JsonObject : null;
    }

    private static string Bundle(string ns, string version, params string[] configMaps) => $$"""
        apiVersion: v1
        kind: Namespace
        metadata: { name: {{ns}} }
        {{string.Concat(configMaps.Select(c => $"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{ name: {c}, namespace: {ns} }}\ndata: {{ version: \"{version}\" }}\n"))}}
        """;

    [KubectlFact]
    public async Task The_agent_applies_keeps_updates_prunes_and_deletes_what_the_broker_asks_for()
    {
        var (agentId, name, pak, stack) = await WorldAsync();
        var ns = Namespace("e2e");
        var first = (await _scenario.DeploymentObjectAsync(stack, Bundle(ns, "1", "a", "b"))).Id();
        await using var agent = await InProcessAgent.StartAsync(AgentSettings(name, pak));

        await WaitForEventAsync(agentId, first);
        var a = (await GetAsync("configmap", ns, "a")).ShouldNotBeNull();
        a["metadata"]!["annotations"]!["k8s.brokkr.io/stack"]!.GetValue<string>().ShouldBe(stack.ToString());
        a["metadata"]!["annotations"]!["brokkr.io/deployment-object-id"]!.GetValue<string>().ShouldBe(first.ToString());
        a["metadata"]!["annotations"]!["brokkr.io/owner-id"]!.GetValue<string>().ShouldBe(agentId.ToString());
        a["metadata"]!["annotations"]!["k8s.brokkr.io/deployment-checksum"].ShouldNotBeNull();

        // Reference defect 14.3: idle polls must neither prune nor rewrite.
        var mark = _fake?.RequestMark ?? 0;
        await Task.Delay(TimeSpan.FromSeconds(4));
        (await GetAsync("configmap", ns, "a")).ShouldNotBeNull();
        (await GetAsync("configmap", ns, "b")).ShouldNotBeNull();
        _fake?.RequestsSince(mark).Where(r => r.IsWrite || r.IsDryRun).ShouldBeEmpty();

        // An object of the same stack owned by another agent must survive everything below. It lives in a
        // namespace of its own: deleting the stack deletes the stack's namespace, and with it all it holds.
        var elsewhere = Namespace("other");
        await Kubectl.ApplyAsync(_kubeconfig, $$"""
            apiVersion: v1
            kind: Namespace
            metadata: { name: {{elsewhere}} }
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: foreign
              namespace: {{elsewhere}}
              labels: { k8s.brokkr.io/stack: "{{stack}}" }
              annotations: { k8s.brokkr.io/stack: "{{stack}}", brokkr.io/owner-id: "{{Guid.NewGuid()}}", k8s.brokkr.io/deployment-checksum: old }
            """);

        var second = (await _scenario.DeploymentObjectAsync(stack, Bundle(ns, "2", "a", "c"))).Id();
        await WaitForEventAsync(agentId, second);
        (await GetAsync("configmap", ns, "a"))!["data"]!["version"]!.GetValue<string>().ShouldBe("2");
        (await GetAsync("configmap", ns, "b")).ShouldBeNull();
        (await GetAsync("configmap", ns, "c")).ShouldNotBeNull();

        await Eventually.WaitAsync(async () =>
            {
                var health = await (await _scenario.Admin.GetAsync($"/api/v1/deployment-objects/{second}/health")).JsonAsync(HttpStatusCode.OK);
                return health.ToJsonString().Contains(agentId.ToString(), StringComparison.Ordinal);
            }, "the broker holds the agent's health report");

        var record = await (await _scenario.Admin.GetAsync($"/api/v1/agents/{agentId}")).JsonAsync(HttpStatusCode.OK);
        record["last_heartbeat"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        record["k8s_reachable"]!.GetValue<bool>().ShouldBeTrue();

        (await _scenario.Admin.DeleteAsync($"/api/v1/stacks/{stack}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await Eventually.WaitAsync(async () => await GetAsync("configmap", ns, "a") is null, "the deleted stack's objects are pruned");
        (await GetAsync("configmap", ns, "c")).ShouldBeNull();
        (await GetAsync("configmap", elsewhere, "foreign")).ShouldNotBeNull();
        await Eventually.WaitAsync(async () =>
            {
                var pending = await (await _scenario.Admin.GetAsync($"/api/v1/agents/{agentId}/target-state")).JsonAsync(HttpStatusCode.OK);
                return pending.AsArray().Count == 0;
            }, "the deletion marker is acknowledged");
    }

    [KubectlFact]
    public async Task A_failed_revision_is_reported_then_a_fixed_one_succeeds()
    {
        var (agentId, name, pak, stack) = await WorldAsync();
        var ns = Namespace("bad");
        var broken = (await _scenario.DeploymentObjectAsync(stack, $$"""
            apiVersion: v1
            kind: Namespace
            metadata: { name: {{ns}} }
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: Not_Valid, namespace: {{ns}} }
            """)).Id();
        await using var agent = await InProcessAgent.StartAsync(AgentSettings(name, pak));

        await WaitForEventAsync(agentId, broken, "FAILURE");
        var failure = (await EventsAsync(agentId)).First(e => e!["status"]!.GetValue<string>() == "FAILURE")!;
        failure["event_type"]!.GetValue<string>().ShouldBe("DEPLOY");
        failure["message"]!.GetValue<string>().ShouldContain("Not_Valid");

        var fixedRevision = (await _scenario.DeploymentObjectAsync(stack, Bundle(ns, "1", "fine"))).Id();
        await WaitForEventAsync(agentId, fixedRevision);
        (await GetAsync("configmap", ns, "fine")).ShouldNotBeNull();
    }

    [Fact]
    public async Task Queued_events_reach_the_broker_in_one_batch_request()
    {
        var (agentId, _, pak, stack) = await WorldAsync();
        var revision = (await _scenario.DeploymentObjectAsync(stack, "kind: ConfigMap\nmetadata:\n  name: batched\n")).Id();
        using var client = new Brokkr.Agent.Broker.BrokerClient(broker.Url, pak);
        var queue = new Brokkr.Agent.Reporting.EventQueue(client, Path.Combine(_stateDir, "queue"), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Brokkr.Agent.Reporting.EventQueue>.Instance);
        Directory.CreateDirectory(Path.Combine(_stateDir, "queue"));
        foreach (var status in new[] { "FAILURE", "FAILURE", "SUCCESS" })
        {
            queue.Enqueue(new Brokkr.Contracts.Agents.NewAgentEvent(agentId, revision, "DEPLOY", status, status.ToLowerInvariant()));
        }

        (await queue.SendPendingAsync(CancellationToken.None)).ShouldBeTrue();

        var events = await EventsAsync(agentId);
        events.Select(e => e!["status"]!.GetValue<string>()).ShouldBe(["SUCCESS", "FAILURE", "FAILURE"]);
        // One request, one transaction: the batch's events share created_at.
        events.Select(e => e!["created_at"]!.GetValue<string>()).Distinct().Count().ShouldBe(1);
    }

    [Fact]
    public async Task A_work_order_is_claimed_applied_and_completed()
    {
        var (agentId, name, pak, _) = await WorldAsync();
        var ns = Namespace("wo");
        var created = await (await _scenario.Admin.PostJsonAsync("/api/v1/work-orders", new
        {
            work_type = "custom",
            yaml_content = $"apiVersion: v1\nkind: Namespace\nmetadata: {{ name: {ns} }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{ name: done, namespace: {ns} }}\n",
            targeting = new { agent_ids = new[] { agentId } },
        })).JsonAsync(HttpStatusCode.Created);
        await using var agent = await InProcessAgent.StartAsync(AgentSettings(name, pak));

        await Eventually.WaitAsync(async () =>
            {
                var order = await (await _scenario.Admin.GetAsync($"/api/v1/work-orders/{created.Id()}")).JsonAsync(HttpStatusCode.OK);
                return order["status"]!.GetValue<string>() == "COMPLETED";
            }, "the work order is completed");
        var log = await (await _scenario.Admin.GetAsync($"/api/v1/work-order-log/{created.Id()}")).JsonAsync(HttpStatusCode.OK);
        log["success"]!.GetValue<bool>().ShouldBeTrue();
        log["claimed_by"]!.GetValue<string>().ShouldBe(agentId.ToString());
        log["result_message"]!.GetValue<string>().ShouldContain($"ConfigMap {ns}/done");
    }

    [Fact]
    public async Task A_diagnostics_request_is_answered()
    {
        var (agentId, name, pak, stack) = await WorldAsync();
        var revision = (await _scenario.DeploymentObjectAsync(stack, Bundle(Namespace("diag"), "1", "a"))).Id();
        await using var agent = await InProcessAgent.StartAsync(AgentSettings(name, pak));
        await WaitForEventAsync(agentId, revision);

        var request = await (await _scenario.Admin.PostJsonAsync($"/api/v1/deployment-objects/{revision}/diagnostics", new { agent_id = agentId }))
            .JsonAsync(HttpStatusCode.Created);

        await Eventually.WaitAsync(async () =>
            {
                var answer = await (await _scenario.Admin.GetAsync($"/api/v1/diagnostics/{request.Id()}")).JsonAsync(HttpStatusCode.OK);
                return answer["request"]!["status"]!.GetValue<string>() == "completed" && answer["result"] is JsonObject;
            }, "the diagnostics request is completed");
        var result = (await (await _scenario.Admin.GetAsync($"/api/v1/diagnostics/{request.Id()}")).JsonAsync(HttpStatusCode.OK))["result"]!;
        JsonNode.Parse(result["pod_statuses"]!.GetValue<string>()).ShouldBeOfType<JsonArray>();
        JsonNode.Parse(result["events"]!.GetValue<string>()).ShouldBeOfType<JsonArray>();
    }

    [Fact]
    public async Task The_agent_process_answers_health_checks_and_exits_zero_on_sigterm()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var (agentId, name, pak, stack) = await WorldAsync();
        var revision = (await _scenario.DeploymentObjectAsync(stack, Bundle(Namespace("proc"), "1", "a"))).Id();
        var port = BrokerProcess.FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "Brokkr.Agent.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var (key, value) in AgentSettings(name, pak, port))
        {
            start.Environment["BROKKR__" + key.Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant()] = value;
        }

        start.Environment["BROKKR__LOG__LEVEL"] = "info";
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await WaitForEventAsync(agentId, revision);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            (await http.GetStringAsync("healthz")).ShouldBe("OK");
            (await http.GetStringAsync("readyz")).ShouldBe("Ready");
            (await http.GetStringAsync("metrics")).ShouldContain("brokkr_agent_heartbeat_sent_total");

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
            await process.WaitForExitAsync(timeout.Token);
            lock (output)
            {
                process.ExitCode.ShouldBe(0, output.ToString());
                output.ToString().ShouldContain("Agent stopped; 0 reports still queued");
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

}

/// <summary>An agent in this process, configured like <c>eng/agent</c> would be, but from a dictionary.</summary>
internal sealed class InProcessAgent : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessAgent(WebApplication app) => _app = app;

    public AgentRuntime Runtime => _app.Services.GetRequiredService<AgentRuntime>();

    public AgentWorker Worker => _app.Services.GetRequiredService<AgentWorker>();

    public static async Task<InProcessAgent> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var app = AgentApp.Build(new AgentAppOptions { Settings = settings, UseEnvironmentVariables = false, Environment = _ => null });
        await app.StartAsync();
        _ = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        return new InProcessAgent(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        Runtime.ExitCode.ShouldBe(0);
        await _app.DisposeAsync();
    }
}
