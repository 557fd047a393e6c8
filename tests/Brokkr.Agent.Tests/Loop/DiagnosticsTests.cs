using System.Text.Json.Nodes;
using Brokkr.Agent.Tests.Support;

namespace Brokkr.Agent.Tests.Loop;

/// <summary>Diagnostics requests against the in-memory broker and the fake API server (which holds the pods, logs and events a test sets).</summary>
public sealed class DiagnosticsTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;
    private readonly FakeBroker _broker = new();
    private readonly string _stateDir = Path.Combine(Path.GetTempPath(), "brokkr-agent-tests", Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync();

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        if (Directory.Exists(_stateDir))
        {
            Directory.Delete(_stateDir, recursive: true);
        }
    }

    [Fact]
    public async Task Pods_events_and_log_tails_of_the_deployment_object_are_collected_across_its_namespaces()
    {
        if (_cluster.Fake is not { } fake)
        {
            return; // Needs pods with logs, which only the fake lets a test create.
        }

        var front = _cluster.Namespace("front");
        var back = _cluster.Namespace("back");
        var revision = _broker.Publish(Guid.NewGuid(), $$"""
            apiVersion: v1
            kind: Namespace
            metadata: { name: {{front}} }
            ---
            apiVersion: v1
            kind: Namespace
            metadata: { name: {{back}} }
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: a, namespace: {{front}} }
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: b, namespace: {{back}} }
            """);
        await using var agent = await RunningAgent.StartAsync(_broker, _cluster, _stateDir);
        await Eventually.WaitAsync(() => _broker.EventsFor(revision.Id).Any(), "the revision is applied");

        foreach (var (ns, pod) in new[] { (front, "web"), (back, "db"), (back, "stranger") })
        {
            fake.Cluster.Apply(new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "Pod",
                ["metadata"] = new JsonObject
                {
                    ["name"] = pod, ["namespace"] = ns,
                    ["labels"] = pod == "stranger" ? new JsonObject() : new JsonObject { ["brokkr.io/deployment-object-id"] = revision.Id.ToString() },
                },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "busybox:1.36" }) },
            });
            fake.Cluster.SetStatus("v1", "Pod", ns, pod, Brokkr.FakeKube.FakeStatus.PodWaiting("CrashLoopBackOff", "back-off", restartCount: 4));
            fake.Cluster.SetPodLog(ns, pod, string.Concat(Enumerable.Range(1, 150).Select(i => $"{pod} line {i}\n")));
        }

        fake.Cluster.RecordEvent(fake.Cluster.Get("v1", "Pod", back, "db")!, "BackOff", "Back-off restarting failed container", "Warning");
        var request = _broker.RequestDiagnostics(revision.Id);

        await Eventually.WaitAsync(() => _broker.DiagnosticResults.ContainsKey(request.Id), "the diagnostics result is submitted");
        var result = _broker.DiagnosticResults[request.Id];
        var pods = JsonNode.Parse(result.PodStatuses)!.AsArray();
        pods.Select(p => p!["name"]!.GetValue<string>()).Order().ShouldBe(["db", "web"]);
        var container = pods[0]!["containers"]![0]!;
        container["state"]!.GetValue<string>().ShouldBe("waiting");
        container["state_reason"]!.GetValue<string>().ShouldBe("CrashLoopBackOff");
        container["restart_count"]!.GetValue<int>().ShouldBe(4);
        var events = JsonNode.Parse(result.Events)!.AsArray();
        events.ShouldContain(e => e!["reason"]!.GetValue<string>() == "BackOff" && e["involved_object"]!.GetValue<string>() == "db" && e["event_type"]!.GetValue<string>() == "Warning");
        var logs = JsonNode.Parse(result.LogTails!)!.AsObject();
        logs.Select(l => l.Key).Order().ShouldBe(["db/app", "web/app"]);
        var lines = logs["web/app"]!.GetValue<string>().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(100);
        lines[^1].ShouldBe("web line 150");
    }

    [Fact]
    public async Task An_unreadable_deployment_object_falls_back_to_the_default_namespace()
    {
        _broker.AllowDeploymentObjectReads = false;
        await using var agent = await RunningAgent.StartAsync(_broker, _cluster, _stateDir);
        await agent.WaitUntilRunningAsync();

        var request = _broker.RequestDiagnostics(Guid.NewGuid());

        await Eventually.WaitAsync(() => _broker.DiagnosticResults.ContainsKey(request.Id), "the diagnostics result is submitted");
        JsonNode.Parse(_broker.DiagnosticResults[request.Id].PodStatuses)!.AsArray().ShouldBeEmpty();
    }
}
