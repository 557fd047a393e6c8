using System.Globalization;
using System.Text.Json.Nodes;

namespace Brokkr.FakeKube;

/// <summary>
/// Status bodies as the real controllers write them, for <see cref="FakeCluster.SetStatus"/>: the states a
/// health check must tell apart (running, ImagePullBackOff, CrashLoopBackOff, Unschedulable, rollout done
/// or stalled, Job complete or failed).
/// </summary>
public static class FakeStatus
{
    public static JsonObject PodRunning(string container = "app") => Pod("Running", ready: true, container, new JsonObject
    {
        ["running"] = new JsonObject { ["startedAt"] = Now() },
    });

    /// <summary>A container waiting, e.g. <c>ImagePullBackOff</c>, <c>ErrImagePull</c> or <c>CrashLoopBackOff</c>.</summary>
    public static JsonObject PodWaiting(string reason, string message = "", string container = "app", int restartCount = 0)
    {
        var status = Pod(reason == "CrashLoopBackOff" ? "Running" : "Pending", ready: false, container, new JsonObject
        {
            ["waiting"] = new JsonObject { ["reason"] = reason, ["message"] = message },
        });
        status["containerStatuses"]![0]!["restartCount"] = restartCount;
        return status;
    }

    public static JsonObject PodUnschedulable(string message = "0/1 nodes are available: 1 Insufficient cpu.") => new()
    {
        ["phase"] = "Pending",
        ["conditions"] = new JsonArray(Condition("PodScheduled", "False", "Unschedulable", message)),
        ["qosClass"] = "BestEffort",
    };

    public static JsonObject PodSucceeded(string container = "app") => Terminated("Succeeded", container, 0, "Completed");

    public static JsonObject PodFailed(string container = "app", int exitCode = 1, string reason = "Error") =>
        Terminated("Failed", container, exitCode, reason);

    public static JsonObject DeploymentAvailable(int replicas, long observedGeneration = 1) => new()
    {
        ["observedGeneration"] = observedGeneration,
        ["replicas"] = replicas,
        ["updatedReplicas"] = replicas,
        ["readyReplicas"] = replicas,
        ["availableReplicas"] = replicas,
        ["conditions"] = new JsonArray(
            Condition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."),
            Condition("Progressing", "True", "NewReplicaSetAvailable", "ReplicaSet has successfully progressed.")),
    };

    public static JsonObject DeploymentStalled(int replicas, int ready, long observedGeneration = 1) => new()
    {
        ["observedGeneration"] = observedGeneration,
        ["replicas"] = replicas,
        ["updatedReplicas"] = replicas,
        ["readyReplicas"] = ready,
        ["availableReplicas"] = ready,
        ["unavailableReplicas"] = replicas - ready,
        ["conditions"] = new JsonArray(
            Condition("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
            Condition("Progressing", "False", "ProgressDeadlineExceeded", "ReplicaSet has timed out progressing.")),
    };

    public static JsonObject StatefulSetReady(int replicas, long observedGeneration = 1) => new()
    {
        ["observedGeneration"] = observedGeneration,
        ["replicas"] = replicas,
        ["readyReplicas"] = replicas,
        ["currentReplicas"] = replicas,
        ["updatedReplicas"] = replicas,
        ["availableReplicas"] = replicas,
    };

    public static JsonObject DaemonSetReady(int scheduled, long observedGeneration = 1) => new()
    {
        ["observedGeneration"] = observedGeneration,
        ["desiredNumberScheduled"] = scheduled,
        ["currentNumberScheduled"] = scheduled,
        ["updatedNumberScheduled"] = scheduled,
        ["numberReady"] = scheduled,
        ["numberAvailable"] = scheduled,
        ["numberMisscheduled"] = 0,
    };

    public static JsonObject JobSucceeded(int completions = 1) => new()
    {
        ["startTime"] = Now(),
        ["completionTime"] = Now(),
        ["succeeded"] = completions,
        ["conditions"] = new JsonArray(
            Condition("SuccessCriteriaMet", "True", "CompletionsReached", "Reached expected number of succeeded pods"),
            Condition("Complete", "True", "CompletionsReached", "Reached expected number of succeeded pods")),
    };

    public static JsonObject JobFailed(string reason = "BackoffLimitExceeded", string message = "Job has reached the specified backoff limit", int failed = 1) => new()
    {
        ["startTime"] = Now(),
        ["failed"] = failed,
        ["conditions"] = new JsonArray(
            Condition("FailureTarget", "True", reason, message),
            Condition("Failed", "True", reason, message)),
    };

    private static JsonObject Pod(string phase, bool ready, string container, JsonObject state)
    {
        var readiness = ready ? "True" : "False";
        return new JsonObject
        {
            ["phase"] = phase,
            ["conditions"] = new JsonArray(
                Condition("PodScheduled", "True", "", ""),
                Condition("Initialized", "True", "", ""),
                Condition("ContainersReady", readiness, ready ? "" : "ContainersNotReady", ""),
                Condition("Ready", readiness, ready ? "" : "ContainersNotReady", "")),
            ["containerStatuses"] = new JsonArray(new JsonObject
            {
                ["name"] = container,
                ["ready"] = ready,
                ["started"] = ready,
                ["restartCount"] = 0,
                ["image"] = string.Empty,
                ["imageID"] = string.Empty,
                ["state"] = state,
            }),
            ["qosClass"] = "BestEffort",
        };
    }

    private static JsonObject Terminated(string phase, string container, int exitCode, string reason)
    {
        var status = Pod(phase, ready: false, container, new JsonObject
        {
            ["terminated"] = new JsonObject { ["exitCode"] = exitCode, ["reason"] = reason, ["finishedAt"] = Now() },
        });
        return status;
    }

    private static JsonObject Condition(string type, string status, string reason, string message)
    {
        var condition = new JsonObject { ["type"] = type, ["status"] = status, ["lastTransitionTime"] = Now() };
        if (reason.Length > 0)
        {
            condition["reason"] = reason;
        }

        if (message.Length > 0)
        {
            condition["message"] = message;
        }

        return condition;
    }

    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
