using Brokkr.FakeKube.Tests.Support;
using k8s;
using k8s.Models;

namespace Brokkr.FakeKube.Tests.Server;

public sealed class StoreConcurrencyTests : ServerTest
{
    [Fact(Timeout = 30_000)]
    public async Task Given_concurrent_writers_then_every_change_gets_its_own_version_and_watchers_see_them_in_order()
    {
        using var http = Http();
        var start = Server.Cluster.ResourceVersion;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await http.GetAsync(
            $"/api/v1/configmaps?watch=true&resourceVersion={start}", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));

        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 8 }, (i, _) =>
        {
            Server.Cluster.Apply(Manifests.ConfigMap($"cm-{i % 20}", "default", "i", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return ValueTask.CompletedTask;
        });

        var versions = new List<long>();
        while (versions.Count < 200)
        {
            var line = await reader.ReadLineAsync(cts.Token);
            var node = System.Text.Json.Nodes.JsonNode.Parse(line!)!;
            versions.Add(long.Parse(node["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        }

        versions.ShouldBe(Enumerable.Range(1, 200).Select(i => start + i).ToList());
        Server.Cluster.ResourceVersion.ShouldBe(start + 200);
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_generate_name_and_dry_run_delete_then_the_server_names_and_keeps_the_object()
    {
        using var client = Client();

        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "job-" } }, "default");
        await client.CoreV1.DeleteNamespacedConfigMapAsync(created.Metadata.Name, "default", dryRun: "All");

        created.Metadata.Name.ShouldStartWith("job-");
        created.Metadata.Name.Length.ShouldBe("job-".Length + 5);
        (await client.CoreV1.ReadNamespacedConfigMapAsync(created.Metadata.Name, "default")).Metadata.Uid.ShouldBe(created.Metadata.Uid);
    }
}
