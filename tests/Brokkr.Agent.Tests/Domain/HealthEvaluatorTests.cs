using System.Text.Json.Nodes;
using Brokkr.Agent.Domain;
using Brokkr.FakeKube;

namespace Brokkr.Agent.Tests.Domain;

public sealed class HealthEvaluatorTests
{
    private static JsonObject Pod(string name, JsonObject status) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "shop" },
        ["status"] = status,
    };

    private static JsonObject Workload(string kind, JsonObject? status, int? replicas = null)
    {
        var item = new JsonObject { ["kind"] = kind, ["metadata"] = new JsonObject { ["name"] = "w", ["namespace"] = "shop" }, ["status"] = status };
        if (replicas is { } r)
        {
            item["spec"] = new JsonObject { ["replicas"] = r };
        }

        return item;
    }

    [Fact]
    public void Running_ready_pods_are_healthy()
    {
        var (status, summary) = HealthEvaluator.Evaluate([Pod("a", FakeStatus.PodRunning()), Pod("b", FakeStatus.PodRunning())], []);
        status.ShouldBe("healthy");
        summary.PodsReady.ShouldBe(2);
        summary.PodsTotal.ShouldBe(2);
        summary.Conditions.ShouldBeEmpty();
        summary.Resources.ShouldBeNull();
    }

    [Theory]
    [InlineData("ImagePullBackOff")]
    [InlineData("ErrImagePull")]
    [InlineData("CrashLoopBackOff")]
    [InlineData("CreateContainerConfigError")]
    public void Waiting_containers_with_a_bad_reason_degrade(string reason)
    {
        var (status, summary) = HealthEvaluator.Evaluate([Pod("a", FakeStatus.PodRunning()), Pod("b", FakeStatus.PodWaiting(reason))], []);
        status.ShouldBe("degraded");
        summary.Conditions.ShouldBe([reason]);
        summary.Resources!.Single().ShouldBe(new Brokkr.Contracts.Health.ResourceHealth("Pod", "b", "shop", false, reason));
        summary.PodsReady.ShouldBe(1);
    }

    [Fact]
    public void A_failed_pod_is_failing_and_wins_over_degraded()
    {
        var (status, summary) = HealthEvaluator.Evaluate([Pod("a", FakeStatus.PodWaiting("ErrImagePull")), Pod("b", FakeStatus.PodFailed())], []);
        status.ShouldBe("failing");
        summary.Conditions.ShouldContain("PodFailed");
        summary.Conditions.ShouldContain("ErrImagePull");
    }

    [Fact]
    public void Init_containers_and_out_of_memory_kills_are_named()
    {
        var status = FakeStatus.PodRunning();
        status["initContainerStatuses"] = new JsonArray(new JsonObject { ["name"] = "init", ["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ImagePullBackOff" } } });
        status["containerStatuses"]![0]!["lastState"] = new JsonObject { ["terminated"] = new JsonObject { ["reason"] = "OOMKilled" } };

        var (verdict, summary) = HealthEvaluator.Evaluate([Pod("a", status)], []);

        verdict.ShouldBe("degraded");
        summary.Conditions.ShouldBe(["InitContainer:ImagePullBackOff", "OOMKilled"]);
    }

    [Fact]
    public void An_unschedulable_pod_degrades_but_a_merely_pending_one_does_not()
    {
        HealthEvaluator.Evaluate([Pod("a", FakeStatus.PodUnschedulable())], []).Status.ShouldBe("degraded");
        HealthEvaluator.Evaluate([Pod("a", new JsonObject { ["phase"] = "Pending" })], []).Status.ShouldBe("healthy");
    }

    [Fact]
    public void Nothing_to_judge_is_unknown()
        => HealthEvaluator.Evaluate([], []).Status.ShouldBe("unknown");

    [Fact]
    public void Workloads_count_beyond_pods()
    {
        HealthEvaluator.Evaluate([], [Workload("Deployment", FakeStatus.DeploymentAvailable(2), 2)]).Status.ShouldBe("healthy");
        HealthEvaluator.Evaluate([], [Workload("Deployment", FakeStatus.DeploymentStalled(3, 1), 3)]).Status.ShouldBe("failing");
        HealthEvaluator.Evaluate([], [Workload("StatefulSet", new JsonObject { ["readyReplicas"] = 1 }, 3)]).Summary.Conditions.ShouldBe(["StatefulSetNotReady (1/3)"]);
        HealthEvaluator.Evaluate([], [Workload("DaemonSet", FakeStatus.DaemonSetReady(2))]).Status.ShouldBe("healthy");
        HealthEvaluator.Evaluate([], [Workload("Job", FakeStatus.JobFailed())]).Status.ShouldBe("failing");
        HealthEvaluator.Evaluate([], [Workload("Job", FakeStatus.JobSucceeded())]).Status.ShouldBe("healthy");
    }
}
