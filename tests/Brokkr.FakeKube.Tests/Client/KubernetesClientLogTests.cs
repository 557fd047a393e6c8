using System.Text;
using Brokkr.FakeKube.Tests.Support;
using k8s;

namespace Brokkr.FakeKube.Tests.Client;

/// <summary>pods/log as the agent's log tailer reads it: whole, with timestamps, and followed.</summary>
public sealed class KubernetesClientLogTests : ServerTest
{
    [Fact(Timeout = 30_000)]
    public async Task Given_followed_log_then_text_appended_later_arrives_on_the_same_stream()
    {
        using var client = Client();
        Server.Cluster.Apply(Manifests.Pod("runner", "default"));
        Server.Cluster.SetPodLog("default", "runner", "first\n");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await using var stream = await client.CoreV1.ReadNamespacedPodLogAsync("runner", "default", container: "main", follow: true, cancellationToken: cts.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var first = await reader.ReadLineAsync(cts.Token);
        Server.Cluster.AppendPodLog("default", "runner", "second\n");
        var second = await reader.ReadLineAsync(cts.Token);

        first.ShouldBe("first");
        second.ShouldBe("second");
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_timestamps_then_each_line_is_prefixed_with_an_rfc3339_time()
    {
        using var client = Client();
        Server.Cluster.Apply(Manifests.Pod("runner", "default"));
        Server.Cluster.SetPodLog("default", "runner", "a\nb\n");

        await using var stream = await client.CoreV1.ReadNamespacedPodLogAsync("runner", "default", timestamps: true);
        var lines = (await new StreamReader(stream).ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        lines.Length.ShouldBe(2);
        foreach (var line in lines)
        {
            DateTimeOffset.TryParse(line.Split(' ', 2)[0], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _)
                .ShouldBeTrue($"'{line}' should start with a timestamp");
        }

        lines.Select(l => l.Split(' ', 2)[1]).ShouldBe(["a", "b"]);
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_pod_with_two_containers_then_the_log_needs_a_container_name()
    {
        using var http = Http();
        Server.Cluster.Apply("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"duo","namespace":"default"},
             "spec":{"containers":[{"name":"app","image":"a"},{"name":"sidecar","image":"s"}]}}
            """);
        Server.Cluster.SetPodLog("default", "duo", "from the app\n", container: "app");

        var ambiguous = await http.GetAsync("/api/v1/namespaces/default/pods/duo/log");
        var app = await http.GetStringAsync("/api/v1/namespaces/default/pods/duo/log?container=app");
        var sidecar = await http.GetStringAsync("/api/v1/namespaces/default/pods/duo/log?container=sidecar");

        ambiguous.StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
        (await ambiguous.Content.ReadAsStringAsync()).ShouldContain("a container name must be specified for pod duo, choose one of: [app sidecar]");
        app.ShouldBe("from the app\n");
        sidecar.ShouldBeEmpty();
    }
}
