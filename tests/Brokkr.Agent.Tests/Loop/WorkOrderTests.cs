using Brokkr.Agent.Tests.Support;
using Brokkr.Agent.WorkOrders;
using Brokkr.FakeKube;

namespace Brokkr.Agent.Tests.Loop;

/// <summary>Work orders end to end against the in-memory broker and the fake API server (which plays the Job controller).</summary>
public sealed class WorkOrderTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;
    private ClusterRig _view = null!;
    private RunningAgent _agent = null!;
    private readonly FakeBroker _broker = new();
    private readonly string _stateDir = Path.Combine(Path.GetTempPath(), "brokkr-agent-tests", Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        _view = new ClusterRig(_cluster);
        _agent = await RunningAgent.StartAsync(_broker, _cluster, _stateDir, new Dictionary<string, string?> { ["agent:work_order_poll_seconds"] = "0.1" });
        await _agent.WaitUntilRunningAsync();
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _cluster.DisposeAsync();
        if (Directory.Exists(_stateDir))
        {
            Directory.Delete(_stateDir, recursive: true);
        }
    }

    private static string Job(string ns, string name) => $$"""
        apiVersion: batch/v1
        kind: Job
        metadata: { name: {{name}}, namespace: {{ns}} }
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{ name: run, image: "busybox:1.36", command: ["true"] }]
        """;

    private async Task<Brokkr.Contracts.WorkOrders.CompleteWorkOrderRequest> CompletionAsync(Guid id)
    {
        await Eventually.WaitAsync(() => _broker.Completions.ContainsKey(id), $"work order {id} is completed");
        return _broker.Completions[id];
    }

    private async Task<string> NamespaceAsync()
    {
        var ns = _cluster.Namespace("wo");
        await _view.Api.ApplyAsync($"api/v1/namespaces/{ns}", new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = ns },
        }, "test", force: true, dryRun: false, CancellationToken.None);
        return ns;
    }

    [Fact]
    public async Task A_custom_work_order_succeeds_when_its_job_completes()
    {
        var ns = await NamespaceAsync();
        var order = _broker.AddWorkOrder("custom", Job(ns, "migrate") + "\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings, namespace: " + ns + " }\n");

        await Eventually.WaitAsync(async () => await _view.GetAsync("batch/v1", "Job", ns, "migrate") is not null, "the Job is applied");
        var job = (await _view.GetAsync("batch/v1", "Job", ns, "migrate"))!;
        job["metadata"]!["managedFields"]!.AsArray().Select(f => f!["manager"]!.GetValue<string>()).ShouldContain("brokkr-agent");
        _cluster.Fake?.Cluster.SetStatus("batch/v1", "Job", ns, "migrate", FakeStatus.JobSucceeded());

        var completion = await CompletionAsync(order.Id);
        completion.Success.ShouldBeTrue(completion.Message);
        completion.Message!.ShouldContain($"Job {ns}/migrate");
        completion.Message!.ShouldContain($"ConfigMap {ns}/settings");
    }

    [Fact]
    public async Task A_failed_job_fails_the_work_order_for_good()
    {
        if (_cluster.Fake is not { } fake)
        {
            return;
        }

        var ns = await NamespaceAsync();
        var order = _broker.AddWorkOrder("custom", Job(ns, "doomed"));
        await Eventually.WaitAsync(async () => await _view.GetAsync("batch/v1", "Job", ns, "doomed") is not null, "the Job is applied");
        fake.Cluster.SetStatus("batch/v1", "Job", ns, "doomed", FakeStatus.JobFailed());

        var completion = await CompletionAsync(order.Id);
        completion.Success.ShouldBeFalse();
        completion.Retryable.ShouldBeFalse();
        completion.Message!.ShouldContain("BackoffLimitExceeded");
    }

    [Fact]
    public async Task A_job_that_outlives_the_claim_budget_is_an_unknown_outcome()
    {
        var ns = await NamespaceAsync();
        // claim_timeout 61 s leaves a budget of 1 s after the 60 s margin.
        var order = _broker.AddWorkOrder("custom", Job(ns, "slow"), claimTimeoutSeconds: 61);

        var completion = await CompletionAsync(order.Id);
        completion.Success.ShouldBeFalse();
        completion.Retryable.ShouldBeFalse();
        completion.Message!.ShouldContain("outcome is unknown");
    }

    [Fact]
    public async Task Without_a_job_the_work_order_succeeds_once_applied()
    {
        var ns = await NamespaceAsync();
        var order = _broker.AddWorkOrder("custom", $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{ name: only, namespace: {ns} }}\n");

        var completion = await CompletionAsync(order.Id);
        completion.Success.ShouldBeTrue();
        (await _view.GetAsync("v1", "ConfigMap", ns, "only")).ShouldNotBeNull();
    }

    [Fact]
    public async Task Unknown_types_and_missing_shipwright_fail_for_good()
    {
        var unknown = _broker.AddWorkOrder("teleport", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n");
        var build = _broker.AddWorkOrder("build", "apiVersion: shipwright.io/v1beta1\nkind: Build\nmetadata: { name: app, namespace: default }\n");

        var first = await CompletionAsync(unknown.Id);
        first.Success.ShouldBeFalse();
        first.Retryable.ShouldBeFalse();
        first.Message!.ShouldContain("Unknown work type");
        var second = await CompletionAsync(build.Id);
        second.Success.ShouldBeFalse();
        second.Retryable.ShouldBeFalse();
    }

    [Fact]
    public async Task An_order_another_agent_claimed_first_is_skipped()
    {
        var taken = _broker.AddWorkOrder("custom", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: taken }\n", claimedBy: Guid.NewGuid());
        var ns = await NamespaceAsync();
        var mine = _broker.AddWorkOrder("custom", $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{ name: mine, namespace: {ns} }}\n");

        (await CompletionAsync(mine.Id)).Success.ShouldBeTrue();
        _broker.Completions.ContainsKey(taken.Id).ShouldBeFalse();
    }

    [Theory]
    [InlineData("Get \"https://api\": dial tcp: connection refused", true)]
    [InlineData("the server is currently unavailable", true)]
    [InlineData("Too Many Requests", true)]
    [InlineData("jobs.batch \"x\" not found", false)]
    [InlineData("admission webhook denied: Forbidden", false)]
    [InlineData("something odd", false)]
    public void Errors_nobody_classified_are_classified_by_their_text(string error, bool retryable)
        => WorkOrderOutcome.IsRetryable(error).ShouldBe(retryable);
}
