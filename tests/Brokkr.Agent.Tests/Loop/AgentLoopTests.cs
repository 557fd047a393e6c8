using System.Net;
using System.Text.Json.Nodes;
using Brokkr.Agent.Domain;
using Brokkr.Agent.Tests.Support;
using Brokkr.FakeKube;

namespace Brokkr.Agent.Tests.Loop;

/// <summary>The whole agent against the in-memory broker and the fake API server (or BROKKR_TEST_KUBECONFIG).</summary>
public sealed class AgentLoopTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;
    private ClusterRig _view = null!;
    private readonly FakeBroker _broker = new();
    private readonly string _stateDir = Path.Combine(Path.GetTempPath(), "brokkr-agent-tests", Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        _view = new ClusterRig(_cluster);
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        if (Directory.Exists(_stateDir))
        {
            Directory.Delete(_stateDir, recursive: true);
        }
    }

    private static string Bundle(string ns, string version, params string[] configMaps) => $$"""
        apiVersion: v1
        kind: Namespace
        metadata: { name: {{ns}} }
        {{string.Concat(configMaps.Select(c => $"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{ name: {c}, namespace: {ns} }}\ndata: {{ version: \"{version}\" }}\n"))}}
        """;

    private async Task WaitForEventAsync(Guid deploymentObjectId, string status = "SUCCESS")
        => await Eventually.WaitAsync(() => _broker.EventsFor(deploymentObjectId).Any(e => e.Status == status), $"a {status} event for {deploymentObjectId}");

    private async Task WaitForPollsAsync(int polls)
    {
        var target = _broker.TargetStatePolls + polls;
        await Eventually.WaitAsync(() => _broker.TargetStatePolls >= target, $"{polls} more target-state polls");
    }

    [Fact]
    public async Task Applied_objects_survive_idle_polls_without_a_single_write()
    {
        var ns = _cluster.Namespace("idle");
        var stack = Guid.NewGuid();
        var revision = _broker.Publish(stack, Bundle(ns, "1", "a", "b"));
        await using var agent = await RunningAgent.StartAsync(_broker, _cluster, _stateDir);

        await WaitForEventAsync(revision.Id);
        var mark = _cluster.Fake?.RequestMark ?? 0;
        var notModified = _broker.NotModifiedAnswers;
        await WaitForPollsAsync(8);

        (await _view.GetAsync("v1", "ConfigMap", ns, "a")).ShouldNotBeNull();
        (await _view.GetAsync("v1", "ConfigMap", ns, "b")).ShouldNotBeNull();
        _broker.EventsFor(revision.Id).Count.ShouldBe(1);
        _broker.NotModifiedAnswers.ShouldBeGreaterThan(notModified);
        _cluster.Fake?.RequestsSince(mark).Where(r => r.IsWrite || r.IsDryRun).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_new_revision_updates_and_prunes_and_a_deletion_marker_removes_the_stack()
    {
        var ns = _cluster.Namespace("life");
        var stack = Guid.NewGuid();
        var first = _broker.Publish(stack, Bundle(ns, "1", "a", "b"));
        await using var agent = await RunningAgent.StartAsync(_broker, _cluster, _stateDir);
        await WaitForEventAsync(first.Id);

        var second = _broker.Publish(stack, Bundle(ns, "2", "a", "c"));
        await WaitForEventAsync(second.Id);
        (await _view.GetAsync("v1", "ConfigMap", ns, "a"))!["data"]!["version"]!.GetValue<string>().ShouldBe("2");
        (await _view.GetAsync("v1", "ConfigMap", ns, "b")).ShouldBeNull();
        (await _view.GetAsync("v1", "ConfigMap", ns, "c")).ShouldNotBeNull();

        var marker = _broker.DeleteStack(stack);
        await WaitForEventAsync(marker.Id);
        (await _view.GetAsync("v1", "ConfigMap", ns, "a")).ShouldBeNull();
        (await _view.GetAsync("v1", "ConfigMap", ns, "c")).ShouldBeNull();
        agent.Worker.Deployment!.Applied[stack].Outcome.ShouldBe(StackOutcome.Deleted);
    }

    [Fact]
    public async Task A_stack_no_longer_associated_is_pruned_without_an_event()
    {
        var ns = _cluster.Namespace("gone");
        var stack = Guid.NewGuid();
        var revision = _broker.Publish(stack, Bundle(ns, "1", "a"));
        await using var agent = await RunningAgent.StartAsync(_broker, _cluster, _stateDir);
        await WaitForEventAsync(revision.Id);

        _broker.Disassociate(stack);

        await Eventually.WaitAsync(async () => await _view.GetAsync("v1", "Namespace", null, ns) is not { } left || BrokkrMetadata.IsBeingDeleted(left),
            "the stack's objects are pruned");
        await Eventually.WaitAsync(() => !agent.Worker.Deployment!.Applied.ContainsKey(stack), "the stack leaves the applied set");
        _broker.Events.Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_inactive_agent_heartbeats_but_applies_nothing_until_activated()
    {
        var ns = _cluster.Namespace("pause");
        _broker.SetStatus("INACTIVE");
        var revision = _broker.Publish(Guid.NewGuid(), Bundle(ns, "1", "a"));
        await using var agent = await RunningAgent.StartAsync(_broker, _cluster, _stateDir);
        await agent.WaitUntilRunningAsync();

        await Eventually.WaitAsync(() => _broker.Heartbeats.Count >= 3, "three heartbeats");
        _broker.FullPolls.ShouldBe(0);
        (await _view.GetAsync("v1", "Namespace", null, ns)).ShouldBeNull();
        _broker.Heartbeats.ShouldAllBe(h => h.K8sReachable == true && h.K8sApiLatencyMs >= 0);

        _broker.SetStatus("ACTIVE");
        await WaitForEventAsync(revision.Id);
        (await _view.GetAsync("v1", "ConfigMap", ns, "a")).ShouldNotBeNull();
    }

    [Fact]
    public async Task Reports_wait_on_disk_while_the_broker_is_down_and_none_is_lost_across_a_restart()
    {
        var ns = _cluster.Namespace("queue");
        var stack = Guid.NewGuid();
        _broker.RejectEvents = true;
        var revision = _broker.Publish(stack, Bundle(ns, "1", "a"));
        var agent = await RunningAgent.StartAsync(_broker, _cluster, _stateDir);
        await Eventually.WaitAsync(async () => await _view.GetAsync("v1", "ConfigMap", ns, "a") is not null, "the revision is applied");
        await Eventually.WaitAsync(() => agent.Worker.Events!.Count == 1, "the report is queued");
        await agent.StopAsync();
        await agent.DisposeAsync();
        _broker.Events.ShouldBeEmpty();
        File.ReadAllText(Path.Combine(_stateDir, "events.json")).ShouldContain(revision.Id.ToString());

        _broker.RejectEvents = false;
        var mark = _cluster.Fake?.RequestMark ?? 0;
        await using var restarted = await RunningAgent.StartAsync(_broker, _cluster, _stateDir);
        await WaitForEventAsync(revision.Id);
        await WaitForPollsAsync(3);

        _broker.EventsFor(revision.Id).Count.ShouldBe(1);
        _cluster.Fake?.RequestsSince(mark).Where(r => r.IsWrite || r.IsDryRun).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_restart_that_lost_its_state_rebuilds_it_from_the_cluster_and_writes_nothing()
    {
        var ns = _cluster.Namespace("lost");
        var stack = Guid.NewGuid();
        var revision = _broker.Publish(stack, Bundle(ns, "1", "a", "b"));
        await using (var agent = await RunningAgent.StartAsync(_broker, _cluster, _stateDir))
        {
            await WaitForEventAsync(revision.Id);
        }

        Directory.Delete(_stateDir, recursive: true);
        var mark = _cluster.Fake?.RequestMark ?? 0;
        await using var restarted = await RunningAgent.StartAsync(_broker, _cluster, _stateDir);
        await restarted.WaitUntilRunningAsync();
        await WaitForPollsAsync(3);

        restarted.Worker.Deployment!.Applied[stack].DeploymentObjectId.ShouldBe(revision.Id);
        restarted.Worker.Deployment.Applied[stack].Objects.Count.ShouldBe(3);
        _broker.EventsFor(revision.Id).Count.ShouldBe(1);
        _cluster.Fake?.RequestsSince(mark).Where(r => r.IsWrite || r.IsDryRun).ShouldBeEmpty();

        // The rebuilt set still knows the objects: a deletion marker removes them.
        var marker = _broker.DeleteStack(stack);
        await WaitForEventAsync(marker.Id);
        (await _view.GetAsync("v1", "ConfigMap", ns, "a")).ShouldBeNull();
    }

    [Fact]
    public async Task A_failed_revision_is_reported_and_retried_until_it_succeeds()
    {
        if (_cluster.Fake is not { } fake)
        {
            return; // Needs injected API failures.
        }

        var ns = _cluster.Namespace("retry");
        fake.AddFault(FaultRule.ServerError("/configmaps/a", times: 2));
        var revision = _broker.Publish(Guid.NewGuid(), Bundle(ns, "1", "a"));
        await using var agent = await RunningAgent.StartAsync(_broker, _cluster, _stateDir);

        await WaitForEventAsync(revision.Id, "FAILURE");
        await WaitForEventAsync(revision.Id, "SUCCESS");
        _broker.EventsFor(revision.Id).First().Message!.ShouldContain("500");
        (await _view.GetAsync("v1", "ConfigMap", ns, "a")).ShouldNotBeNull();
    }

    [Fact]
    public async Task Nothing_is_pruned_while_the_broker_is_unreachable()
    {
        var ns = _cluster.Namespace("down");
        var revision = _broker.Publish(Guid.NewGuid(), Bundle(ns, "1", "a"));
        await using var agent = await RunningAgent.StartAsync(_broker, _cluster, _stateDir);
        await WaitForEventAsync(revision.Id);

        _broker.Down = true;
        await Eventually.WaitAsync(() => !agent.Runtime.Broker.Connected, "the agent notices the broker is down");
        await Task.Delay(2500);

        (await _view.GetAsync("v1", "ConfigMap", ns, "a")).ShouldNotBeNull();
        _broker.Down = false;
    }

    [Fact]
    public async Task The_health_server_answers_and_exports_the_reference_metrics()
    {
        var revision = _broker.Publish(Guid.NewGuid(), Bundle(_cluster.Namespace("health"), "1", "a"));
        await using var agent = await RunningAgent.StartAsync(_broker, _cluster, _stateDir);
        await WaitForEventAsync(revision.Id);

        (await agent.Http.GetStringAsync("healthz")).ShouldBe("OK");
        (await agent.Http.GetStringAsync("readyz")).ShouldBe("Ready");
        var health = JsonNode.Parse(await agent.Http.GetStringAsync("health"))!;
        health["status"]!.GetValue<string>().ShouldBe("healthy");
        health["kubernetes"]!["connected"]!.GetValue<bool>().ShouldBeTrue();
        health["broker"]!["connected"]!.GetValue<bool>().ShouldBeTrue();
        health["broker"]!["last_heartbeat"]!.GetValue<string>().ShouldEndWith("Z");
        health["uptime_seconds"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(0);
        health["version"].ShouldNotBeNull();

        var metrics = await agent.Http.GetStringAsync("metrics");
        metrics.ShouldContain("brokkr_agent_poll_requests_total{status=\"success\"}");
        metrics.ShouldContain("brokkr_agent_poll_duration_seconds_bucket");
        metrics.ShouldContain("brokkr_agent_kubernetes_operations_total{operation=\"apply\"}");
        metrics.ShouldContain("brokkr_agent_kubernetes_operation_duration_seconds_bucket{operation=\"apply\"");
        metrics.ShouldContain("brokkr_agent_heartbeat_sent_total");
        metrics.ShouldContain("brokkr_agent_last_successful_poll_timestamp");

        if (_cluster.Fake is { } fake)
        {
            fake.AddFault(new FaultRule { PathContains = "/version", StatusCode = 503 });
            var unready = await agent.Http.GetAsync("readyz");
            unready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            (await unready.Content.ReadAsStringAsync()).ShouldBe("Kubernetes API unavailable");
            var unhealthy = await agent.Http.GetAsync("health");
            unhealthy.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            JsonNode.Parse(await unhealthy.Content.ReadAsStringAsync())!["kubernetes"]!["error"].ShouldNotBeNull();
            fake.ClearFaults();
            (await agent.Http.GetAsync("readyz")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Stopping_finishes_cleanly_with_exit_code_zero_and_flushes_reports()
    {
        var revision = _broker.Publish(Guid.NewGuid(), Bundle(_cluster.Namespace("stop"), "1", "a"));
        var agent = await RunningAgent.StartAsync(_broker, _cluster, _stateDir);
        await WaitForEventAsync(revision.Id);

        await agent.StopAsync();

        agent.Runtime.ExitCode.ShouldBe(0);
        agent.Worker.Events!.Count.ShouldBe(0);
        await agent.DisposeAsync();
    }

    [Fact]
    public async Task Deployment_health_is_reported_from_pods_attributed_through_their_owners()
    {
        if (_cluster.Fake is not { } fake)
        {
            return; // Plays the controllers: creates pods and sets their status.
        }

        var ns = _cluster.Namespace("health");
        var revision = _broker.Publish(Guid.NewGuid(), $$"""
            apiVersion: v1
            kind: Namespace
            metadata: { name: {{ns}} }
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: web, namespace: {{ns}} }
            spec:
              replicas: 1
              selector: { matchLabels: { app: web } }
              template:
                metadata: { labels: { app: web } }
                spec: { containers: [{ name: app, image: "nginx:1.27" }] }
            """);
        await using var agent = await RunningAgent.StartAsync(_broker, _cluster, _stateDir, new Dictionary<string, string?> { ["agent:deployment_health_interval"] = "1" });
        await WaitForEventAsync(revision.Id);

        var deployment = fake.Cluster.Get("apps/v1", "Deployment", ns, "web")!;
        fake.Cluster.Apply(new JsonObject
        {
            ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject
            {
                ["name"] = "web-1", ["namespace"] = ns,
                ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = "web", ["uid"] = deployment["metadata"]!["uid"]!.GetValue<string>(), ["controller"] = true }),
            },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web" } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web" } },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "nginx:1.27" }) },
                },
            },
        });
        var replicaSet = fake.Cluster.Get("apps/v1", "ReplicaSet", ns, "web-1")!;
        fake.Cluster.Apply(new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = "web-1-abc", ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = "web" },
                ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = "web-1", ["uid"] = replicaSet["metadata"]!["uid"]!.GetValue<string>(), ["controller"] = true }),
            },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "nginx:1.27" }) },
        });
        fake.Cluster.SetStatus("v1", "Pod", ns, "web-1-abc", FakeStatus.PodWaiting("ImagePullBackOff", "Back-off pulling image"));

        await Eventually.WaitAsync(() => _broker.HealthReports.Any(r => r.DeploymentObjects.Any(o => o.Id == revision.Id && o.Status == "degraded")), "a degraded health report");
        var report = _broker.HealthReports.Last(r => r.DeploymentObjects.Any(o => o.Id == revision.Id && o.Status == "degraded")).DeploymentObjects.Single(o => o.Id == revision.Id);
        report.Summary!.PodsTotal.ShouldBe(1);
        report.Summary.Conditions.ShouldContain("ImagePullBackOff");

        fake.Cluster.SetStatus("v1", "Pod", ns, "web-1-abc", FakeStatus.PodRunning());
        fake.Cluster.SetStatus("apps/v1", "Deployment", ns, "web", FakeStatus.DeploymentAvailable(1));
        await Eventually.WaitAsync(() => _broker.HealthReports.Last().DeploymentObjects.Any(o => o.Id == revision.Id && o.Status == "healthy"), "a healthy report");
    }

    [Fact]
    public async Task A_fatal_start_up_exits_with_code_one()
    {
        var stranger = new FakeBroker(name: "someone-else");
        await using var agent = await RunningAgent.StartAsync(stranger, _cluster, _stateDir, new Dictionary<string, string?> { ["agent:agent_name"] = "nobody" });
        await Eventually.WaitAsync(() => agent.Runtime.ExitCode == 1, "the agent gives up");
    }
}
