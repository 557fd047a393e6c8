using Brokkr.FakeKube.Tests.Support;
using k8s;
using k8s.Models;

namespace Brokkr.FakeKube.Tests.Client;

public sealed class KubernetesClientWatchTests : ServerTest
{
    protected override FakeKubeOptions Options => new() { WatchHistory = 5 };

    [Fact(Timeout = 30_000)]
    public async Task Given_watch_from_list_version_then_added_modified_and_deleted_arrive_in_order()
    {
        using var client = Client();
        Server.Cluster.Apply(Manifests.ConfigMap("before", "default", "k", "v"));
        var list = await client.CoreV1.ListNamespacedConfigMapAsync("default");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = new List<(WatchEventType Type, string Name, string Value)>();

        var watching = Task.Run(async () =>
        {
            var stream = new k8s.ClientSets.ClientSet(client).CoreV1.ConfigMap.WatchListAsync(
                "default", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token);
            await foreach (var (type, item) in stream)
            {
                events.Add((type, item.Metadata.Name, item.Data is { } data && data.TryGetValue("k", out var value) ? value : string.Empty));
                if (type == WatchEventType.Deleted)
                {
                    return;
                }
            }
        }, cts.Token);
        await Eventually(() => Server.Requests.Any(r => r.IsWatch));

        Server.Cluster.Apply(Manifests.ConfigMap("late", "default", "k", "1"));
        Server.Cluster.Apply(Manifests.ConfigMap("late", "default", "k", "2"));
        Server.Cluster.Delete("v1", "ConfigMap", "default", "late");
        await watching;

        events.ShouldBe([(WatchEventType.Added, "late", "1"), (WatchEventType.Modified, "late", "2"), (WatchEventType.Deleted, "late", "2")]);
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_watch_without_version_then_existing_objects_arrive_as_added()
    {
        using var client = Client();
        Server.Cluster.Apply(Manifests.ConfigMap("one", "default", "k", "v"));
        Server.Cluster.Apply(Manifests.ConfigMap("two", "default", "k", "v"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var names = new List<string>();

        var stream = new k8s.ClientSets.ClientSet(client).CoreV1.ConfigMap.WatchListAsync("default", cancellationToken: cts.Token);
        await foreach (var (type, item) in stream)
        {
            type.ShouldBe(WatchEventType.Added);
            names.Add(item.Metadata.Name);
            if (names.Count == 2)
            {
                break;
            }
        }

        names.ShouldBe(["one", "two"]);
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_event_recorded_for_a_pod_then_a_cluster_wide_event_watch_sees_it()
    {
        using var client = Client();
        var pod = Server.Cluster.Apply(Manifests.Pod("runner", "default"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var stream = client.CoreV1.WatchListEventForAllNamespacesAsync(
            resourceVersion: Server.Cluster.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken: cts.Token);
        var reading = Task.Run(async () =>
        {
            await foreach (var (type, item) in stream)
            {
                return (type, item);
            }

            throw new InvalidOperationException("the watch ended without an event");
        }, cts.Token);
        await Eventually(() => Server.Requests.Any(r => r.IsWatch && r.Path == "/api/v1/events"));

        Server.Cluster.RecordEvent(pod, "BackOff", "Back-off restarting failed container", "Warning");
        var (eventType, seen) = await reading;

        eventType.ShouldBe(WatchEventType.Added);
        seen.InvolvedObject.Uid.ShouldBe(pod["metadata"]!["uid"]!.GetValue<string>());
        seen.Reason.ShouldBe("BackOff");
        seen.Type.ShouldBe("Warning");
        seen.LastTimestamp.ShouldNotBeNull();
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_version_older_than_the_history_then_watch_reports_410_expired()
    {
        using var http = Http();
        for (var i = 0; i < 10; i++)
        {
            Server.Cluster.Apply(Manifests.ConfigMap($"cm-{i}", "default", "k", "v"));
        }

        var body = await http.GetStringAsync("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1&timeoutSeconds=2");

        body.ShouldContain("\"type\":\"ERROR\"");
        body.ShouldContain("\"code\":410");
        body.ShouldContain("\"reason\":\"Expired\"");
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_timeout_seconds_then_the_watch_ends_by_itself()
    {
        using var http = Http();
        var started = DateTime.UtcNow;

        var body = await http.GetStringAsync($"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={Server.Cluster.ResourceVersion}&timeoutSeconds=1");

        body.ShouldBeEmpty();
        (DateTime.UtcNow - started).ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }
}
