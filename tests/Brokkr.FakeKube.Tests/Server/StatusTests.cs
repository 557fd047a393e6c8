using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Brokkr.FakeKube.Tests.Support;
using k8s;
using k8s.Models;

namespace Brokkr.FakeKube.Tests.Server;

/// <summary>Tests play the controllers: status set through the handle, the admin endpoint or the real /status subresource.</summary>
public sealed class StatusTests : ServerTest
{
    private const string Deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
         "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
                 "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}}}
        """;

    [Fact(Timeout = 30_000)]
    public async Task Given_status_set_through_the_handle_then_clients_read_it()
    {
        using var client = Client();
        Server.Cluster.Apply(Deployment);

        Server.Cluster.SetStatus("apps/v1", "Deployment", "default", "web", FakeStatus.DeploymentAvailable(2));

        var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync("web", "default");
        deployment.Status.ReadyReplicas.ShouldBe(2);
        deployment.Status.Conditions.ShouldContain(c => c.Type == "Available" && c.Status == "True");
        deployment.Metadata.Generation.ShouldBe(1);
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_pod_failure_states_then_container_statuses_say_why()
    {
        using var client = Client();
        Server.Cluster.Apply(Manifests.Pod("pull", "default"));
        Server.Cluster.Apply(Manifests.Pod("crash", "default"));
        Server.Cluster.Apply(Manifests.Pod("stuck", "default"));

        Server.Cluster.SetStatus("v1", "Pod", "default", "pull", FakeStatus.PodWaiting("ImagePullBackOff", "Back-off pulling image", "main"));
        Server.Cluster.SetStatus("v1", "Pod", "default", "crash", FakeStatus.PodWaiting("CrashLoopBackOff", container: "main", restartCount: 4));
        Server.Cluster.SetStatus("v1", "Pod", "default", "stuck", FakeStatus.PodUnschedulable());

        var pods = (await client.CoreV1.ListNamespacedPodAsync("default")).Items.ToDictionary(p => p.Metadata.Name);
        pods["pull"].Status.ContainerStatuses.Single().State.Waiting.Reason.ShouldBe("ImagePullBackOff");
        pods["crash"].Status.ContainerStatuses.Single().RestartCount.ShouldBe(4);
        pods["stuck"].Status.Conditions.Single().Reason.ShouldBe("Unschedulable");
        pods["stuck"].Status.Phase.ShouldBe("Pending");
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_status_put_to_the_admin_endpoint_then_the_job_reports_it()
    {
        using var http = Http();
        Server.Cluster.Apply("""
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"migrate","namespace":"default"},
             "spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"m","image":"busybox"}]}}}}
            """);
        using var body = new StringContent(FakeStatus.JobFailed().ToJsonString(), Encoding.UTF8, "application/json");

        var response = await http.PutAsync("/_fake/status/apis/batch/v1/namespaces/default/jobs/migrate", body);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var job = Server.Cluster.Get("batch/v1", "Job", "default", "migrate")!;
        job["status"]!["failed"]!.GetValue<int>().ShouldBe(1);
        job["status"]!["conditions"]!.AsArray().ShouldContain(c => c!["type"]!.GetValue<string>() == "Failed");
        (await http.PutAsync("/_fake/status/apis/batch/v1/namespaces/default/jobs/nope", new StringContent("{}"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_status_subresource_then_status_writes_and_spec_writes_stay_apart()
    {
        using var client = Client();
        Server.Cluster.Apply(Deployment, fieldManager: "brokkr-controller");

        var patched = await client.AppsV1.PatchNamespacedDeploymentStatusAsync(
            new V1Patch("""{"status":{"readyReplicas":1,"replicas":2}}""", V1Patch.PatchType.MergePatch), "web", "default");
        var reapplied = Server.Cluster.Apply(JsonNode.Parse(Deployment)!.AsObject(), "brokkr-controller");
        var scaled = Server.Cluster.Apply(JsonNode.Parse(Deployment.Replace("\"replicas\":2", "\"replicas\":3", StringComparison.Ordinal))!.AsObject(), "brokkr-controller");

        patched.Status.ReadyReplicas.ShouldBe(1);
        patched.Metadata.Generation.ShouldBe(1);
        reapplied["status"]!["readyReplicas"]!.GetValue<int>().ShouldBe(1);
        scaled["metadata"]!["generation"]!.GetValue<int>().ShouldBe(2);
        scaled["status"]!["readyReplicas"]!.GetValue<int>().ShouldBe(1);
        patched.Metadata.ManagedFields.ShouldContain(m => m.Subresource == "status" && m.Operation == "Update");
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_pod_log_put_to_the_admin_endpoint_then_the_log_subresource_serves_it()
    {
        using var http = Http();
        Server.Cluster.Apply(Manifests.Pod("runner", "default"));

        (await http.PutAsync("/_fake/logs/api/v1/namespaces/default/pods/runner", new StringContent("one\n"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await http.PostAsync("/_fake/logs/api/v1/namespaces/default/pods/runner", new StringContent("two\n"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await http.GetStringAsync("/api/v1/namespaces/default/pods/runner/log?container=main")).ShouldBe("one\ntwo\n");
        (await http.GetAsync("/api/v1/namespaces/default/pods/runner/log?container=other")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
