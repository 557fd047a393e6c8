using Brokkr.FakeKube.Tests.Support;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;

namespace Brokkr.FakeKube.Tests.Client;

/// <summary>KubernetesClient's own leader election over a Lease: optimistic concurrency must hold for exactly one leader.</summary>
public sealed class LeaderElectionTests : ServerTest
{
    [Fact(Timeout = 30_000)]
    public async Task Given_two_candidates_then_one_leads_and_the_lease_names_it()
    {
        using var clientA = Client();
        using var clientB = Client();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var leaders = new System.Collections.Concurrent.ConcurrentQueue<string>();

        LeaderElector Candidate(k8s.Kubernetes client, string identity)
        {
            var elector = new LeaderElector(new LeaderElectionConfig(new LeaseLock(client, "default", "brokkr-agent", identity))
            {
                LeaseDuration = TimeSpan.FromSeconds(10),
                RenewDeadline = TimeSpan.FromSeconds(5),
                RetryPeriod = TimeSpan.FromMilliseconds(200),
            });
            elector.OnStartedLeading += () => leaders.Enqueue(identity);
            return elector;
        }

        using var a = Candidate(clientA, "agent-a");
        using var b = Candidate(clientB, "agent-b");
        var runs = new[] { a.RunAndTryToHoldLeadershipForeverAsync(cts.Token), b.RunAndTryToHoldLeadershipForeverAsync(cts.Token) };

        await Eventually(() => !leaders.IsEmpty);
        await Task.Delay(1_000);

        var leader = leaders.ShouldHaveSingleItem();
        var lease = Server.Cluster.Get("coordination.k8s.io/v1", "Lease", "default", "brokkr-agent")!;
        lease["spec"]!["holderIdentity"]!.GetValue<string>().ShouldBe(leader);
        await cts.CancelAsync();
        await Task.WhenAll(runs.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));
    }
}
