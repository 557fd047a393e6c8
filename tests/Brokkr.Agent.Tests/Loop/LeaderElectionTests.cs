using System.Text.Json.Nodes;
using Brokkr.Agent.Tests.Support;

namespace Brokkr.Agent.Tests.Loop;

/// <summary>An active-passive pair on a coordination.k8s.io Lease.</summary>
public sealed class LeaderElectionTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;
    private readonly FakeBroker _broker = new();
    private readonly string _root = Path.Combine(Path.GetTempPath(), "brokkr-agent-tests", Guid.NewGuid().ToString("N"));
    private string _lease = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        _lease = $"lease-{Guid.NewGuid():N}"[..16];
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private Task<RunningAgent> ReplicaAsync(string identity) => RunningAgent.StartAsync(_broker, _cluster, Path.Combine(_root, identity), new Dictionary<string, string?>
    {
        ["agent:leader_election"] = "true",
        ["agent:leader_election_identity"] = identity,
        ["agent:leader_election_lease_name"] = _lease,
        ["agent:leader_election_namespace"] = "default",
        ["agent:leader_election_lease_seconds"] = "3",
    });

    private async Task<JsonObject?> LeaseAsync()
        => await _cluster.Connect().GetAsync($"apis/coordination.k8s.io/v1/namespaces/default/leases/{_lease}", CancellationToken.None);

    [Fact]
    public async Task Only_the_holder_works_and_a_graceful_stop_hands_over_at_once()
    {
        var ns = _cluster.Namespace("ha");
        var stack = Guid.NewGuid();
        var a = await ReplicaAsync("replica-a");
        await Eventually.WaitAsync(() => a.Worker.Elector?.IsLeader == true, "replica a leads");
        await using var b = await ReplicaAsync("replica-b");
        await Eventually.WaitAsync(() => b.Worker.Elector is not null, "replica b has started");
        var revision = _broker.Publish(stack, $"apiVersion: v1\nkind: Namespace\nmetadata: {{ name: {ns} }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{ name: c, namespace: {ns} }}\n");
        await Eventually.WaitAsync(() => _broker.EventsFor(revision.Id).Any(), "the leader applies the revision");

        b.Worker.Elector!.IsLeader.ShouldBeFalse();
        b.Worker.Deployment.ShouldBeNull();
        (await LeaseAsync())!["spec"]!["holderIdentity"]!.GetValue<string>().ShouldBe("replica-a");

        var mark = _cluster.Fake?.RequestMark ?? 0;
        await a.StopAsync();
        a.Runtime.ExitCode.ShouldBe(0);
        await a.DisposeAsync();

        await Eventually.WaitAsync(() => b.Worker.Deployment is not null, "replica b takes over", TimeSpan.FromSeconds(15));
        (await LeaseAsync())!["spec"]!["holderIdentity"]!.GetValue<string>().ShouldBe("replica-b");
        await Eventually.WaitAsync(() => b.Worker.Deployment!.Applied.ContainsKey(stack), "replica b knows the applied stack");
        b.Worker.Deployment!.Applied[stack].DeploymentObjectId.ShouldBe(revision.Id);
        _cluster.Fake?.RequestsSince(mark).Where(r => r.IsWrite && !r.Path.Contains("/leases/", StringComparison.Ordinal)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_leader_that_loses_its_lease_stops_with_exit_code_one()
    {
        await using var a = await ReplicaAsync("replica-a");
        await Eventually.WaitAsync(() => a.Worker.Elector?.IsLeader == true, "replica a leads");

        // The leader renews concurrently: a stale write is refused (409) and tried again.
        await Eventually.WaitAsync(async () =>
        {
            var lease = (await LeaseAsync())!;
            lease["spec"]!["holderIdentity"] = "intruder";
            lease["spec"]!["leaseDurationSeconds"] = 3600;
            lease["spec"]!["renewTime"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
            try
            {
                await _cluster.Connect().ReplaceAsync($"apis/coordination.k8s.io/v1/namespaces/default/leases/{_lease}", lease, CancellationToken.None);
                return true;
            }
            catch (Brokkr.Agent.Kubernetes.KubeApiException e) when (e.StatusCode == 409)
            {
                return false;
            }
        }, "the intruder takes the Lease");

        await Eventually.WaitAsync(() => a.Runtime.ExitCode == 1, "replica a gives up", TimeSpan.FromSeconds(15));
    }
}
