using System.Diagnostics;
using Brokkr.FakeKube.Tests.Support;

namespace Brokkr.FakeKube.Tests.Kubectl;

/// <summary>The real kubectl deleting, reading logs and watching.</summary>
public sealed class KubectlLifecycleTests : ServerTest, IDisposable
{
    private Support.Kubectl? _kubectl;

    private Support.Kubectl Cli => _kubectl ??= new Support.Kubectl(Server);

    public void Dispose() => _kubectl?.Dispose();

    [KubectlFact]
    public async Task Given_object_then_delete_removes_it()
    {
        Server.Cluster.Apply(Manifests.ConfigMap("doomed", "default", "k", "v"));

        (await Cli.RunAsync("delete configmap doomed")).ShouldSucceed().Output.ShouldContain("configmap \"doomed\" deleted");

        Server.Cluster.Get("v1", "ConfigMap", "default", "doomed").ShouldBeNull();
        var missing = await Cli.RunAsync("get configmap doomed");
        missing.ExitCode.ShouldNotBe(0);
        missing.Error.ShouldContain("configmaps \"doomed\" not found");
    }

    [KubectlFact]
    public async Task Given_namespace_deleted_then_its_objects_go_with_it()
    {
        (await Cli.RunAsync($"apply --server-side -f {Cli.WriteFile("demo.yaml", Manifests.NamespaceConfigMapDeployment)}")).ShouldSucceed();

        (await Cli.RunAsync("delete namespace demo")).ShouldSucceed();

        Server.Cluster.List("v1", "ConfigMap", "demo").ShouldBeEmpty();
        Server.Cluster.List("apps/v1", "Deployment").ShouldBeEmpty();
        (await Cli.RunAsync("get namespace demo")).ExitCode.ShouldNotBe(0);
        (await Cli.RunAsync("get namespace default")).ShouldSucceed();
    }

    [KubectlFact]
    public async Task Given_pod_log_set_by_the_test_then_kubectl_logs_prints_it()
    {
        Server.Cluster.Apply(Manifests.Pod("runner", "default"));
        Server.Cluster.SetPodLog("default", "runner", "starting\nready\n");

        (await Cli.RunAsync("logs runner")).ShouldSucceed().Output.ShouldBe("starting\nready\n");
        (await Cli.RunAsync("logs runner --tail=1")).ShouldSucceed().Output.ShouldBe("ready\n");
        (await Cli.RunAsync("logs missing")).ExitCode.ShouldNotBe(0);
    }

    [KubectlFact]
    public async Task Given_default_output_then_kubectl_prints_the_server_side_table()
    {
        Server.Cluster.Apply(Manifests.Pod("runner", "default"));
        Server.Cluster.SetStatus("v1", "Pod", "default", "runner", FakeStatus.PodRunning("main"));

        var table = (await Cli.RunAsync("get pods")).ShouldSucceed().Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        table[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["NAME", "STATUS", "AGE"]);
        table[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2).ShouldBe(["runner", "Running"]);
    }

    [KubectlFact]
    public async Task Given_watch_open_then_kubectl_receives_a_new_object()
    {
        var mark = Server.RequestMark;
        using var watch = Cli.Start("get configmaps --watch -o name");
        try
        {
            await Eventually(() => Server.RequestsSince(mark).Any(r => r.IsWatch), seconds: 30);

            Server.Cluster.Apply(Manifests.ConfigMap("late", "default", "k", "v"));

            var line = await ReadLineAsync(watch, TimeSpan.FromSeconds(15));
            line.ShouldBe("configmap/late");
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
        }
    }

    [KubectlFact]
    public async Task Given_human_readable_watch_then_events_arrive_as_table_rows()
    {
        var mark = Server.RequestMark;
        using var watch = Cli.Start("get pods --watch");
        try
        {
            await Eventually(() => Server.RequestsSince(mark).Any(r => r.IsWatch), seconds: 30);

            Server.Cluster.Apply(Manifests.Pod("late", "default"));

            (await ReadLineAsync(watch, TimeSpan.FromSeconds(15))).ShouldNotBeNull().Split(' ', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["NAME", "STATUS", "AGE"]);
            (await ReadLineAsync(watch, TimeSpan.FromSeconds(15))).ShouldNotBeNull().Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2).ShouldBe(["late", "Pending"]);
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
        }
    }

    private static async Task<string?> ReadLineAsync(Process process, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await process.StandardOutput.ReadLineAsync(cts.Token);
    }
}
