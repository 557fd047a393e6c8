using System.Text.Json.Nodes;
using Brokkr.Contracts.Health;

namespace Brokkr.Agent.Domain;

/// <summary>
/// The health verdict of one deployment object (behaviour §9, extended to workloads): from its pods
/// (waiting and terminated reasons, failed and unschedulable pods) and its Deployments, StatefulSets,
/// DaemonSets and Jobs (ready replicas, a passed progress deadline, a failed Job). The worst finding
/// wins: failing, then degraded, then unknown, then healthy. No pod and no workload is unknown.
/// </summary>
internal static class HealthEvaluator
{
    public const string Healthy = "healthy";
    public const string Degraded = "degraded";
    public const string Failing = "failing";
    public const string Unknown = "unknown";

    private static readonly HashSet<string> DegradedWaiting =
        ["ImagePullBackOff", "ErrImagePull", "CrashLoopBackOff", "CreateContainerConfigError", "InvalidImageName", "RunContainerError", "ContainerCannotRun"];

    private static readonly HashSet<string> DegradedTerminated = ["OOMKilled", "Error", "ContainerCannotRun"];

    public static readonly HashSet<string> WorkloadKinds = ["Deployment", "StatefulSet", "DaemonSet", "Job"];

    public static (string Status, HealthSummary Summary) Evaluate(IReadOnlyList<JsonObject> pods, IReadOnlyList<JsonObject> workloads)
    {
        var status = Healthy;
        var conditions = new List<string>();
        var resources = new List<ResourceHealth>();
        var ready = 0;

        foreach (var pod in pods)
        {
            var podStatus = pod["status"] as JsonObject;
            var phase = Text(podStatus?["phase"]);
            if (IsConditionTrue(podStatus, "Ready"))
            {
                ready++;
            }

            var findings = new List<string>();
            var verdict = Healthy;
            foreach (var (container, prefix) in Containers(podStatus))
            {
                var waiting = Text(container["state"]?["waiting"]?["reason"]);
                if (waiting is not null && DegradedWaiting.Contains(waiting))
                {
                    findings.Add(prefix + waiting);
                    verdict = Worst(verdict, Degraded);
                }

                var terminated = Text(container["state"]?["terminated"]?["reason"]);
                if (terminated is not null && DegradedTerminated.Contains(terminated))
                {
                    findings.Add(prefix + terminated);
                    verdict = Worst(verdict, Degraded);
                }

                if (Text(container["lastState"]?["terminated"]?["reason"]) == "OOMKilled" && terminated != "OOMKilled")
                {
                    findings.Add(prefix + "OOMKilled");
                    verdict = Worst(verdict, Degraded);
                }
            }

            if (phase == "Failed")
            {
                findings.Add("PodFailed");
                verdict = Worst(verdict, Failing);
            }
            else if (phase == "Pending" && Condition(podStatus, "PodScheduled") is { } scheduled
                && Text(scheduled["status"]) == "False" && Text(scheduled["reason"]) == "Unschedulable")
            {
                findings.Add("Unschedulable");
                verdict = Worst(verdict, Degraded);
            }
            else if (phase == "Unknown" && verdict == Healthy)
            {
                verdict = Unknown;
            }

            status = Worst(status, verdict);
            if (findings.Count > 0)
            {
                conditions.AddRange(findings.Where(f => !conditions.Contains(f)));
                resources.Add(new ResourceHealth("Pod", Name(pod), Namespace(pod), false, string.Join(", ", findings)));
            }
        }

        foreach (var workload in workloads)
        {
            var (verdict, finding) = Workload(workload);
            status = Worst(status, verdict);
            if (finding is not null)
            {
                if (!conditions.Contains(finding))
                {
                    conditions.Add(finding);
                }

                resources.Add(new ResourceHealth(Text(workload["kind"]) ?? "?", Name(workload), Namespace(workload), false, finding));
            }
        }

        if (pods.Count == 0 && workloads.Count == 0)
        {
            status = Unknown;
        }

        return (status, new HealthSummary(ready, pods.Count, conditions, resources.Count > 0 ? resources : null));
    }

    public static string Worst(string a, string b) => Rank(a) >= Rank(b) ? a : b;

    private static int Rank(string status) => status switch
    {
        Failing => 3,
        Degraded => 2,
        Unknown => 1,
        _ => 0,
    };

    private static (string Verdict, string? Finding) Workload(JsonObject workload)
    {
        var kind = Text(workload["kind"]);
        var status = workload["status"] as JsonObject;
        switch (kind)
        {
            case "Job":
                return IsConditionTrue(status, "Failed") ? (Failing, "JobFailed") : (Healthy, null);
            case "Deployment" when Condition(status, "Progressing") is { } progressing && Text(progressing["reason"]) == "ProgressDeadlineExceeded":
                return (Failing, "ProgressDeadlineExceeded");
        }

        var (desired, ready) = kind switch
        {
            "DaemonSet" => (Number(status?["desiredNumberScheduled"]) ?? 0, Number(status?["numberReady"]) ?? 0),
            _ => (Number(workload["spec"]?["replicas"]) ?? 1, Number(status?["readyReplicas"]) ?? 0),
        };
        return ready < desired ? (Degraded, $"{kind}NotReady ({ready}/{desired})") : (Healthy, null);
    }

    private static IEnumerable<(JsonObject Container, string Prefix)> Containers(JsonObject? podStatus)
    {
        foreach (var item in (podStatus?["initContainerStatuses"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            yield return (item, "InitContainer:");
        }

        foreach (var item in (podStatus?["containerStatuses"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            yield return (item, string.Empty);
        }
    }

    private static JsonObject? Condition(JsonObject? status, string type)
        => (status?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => Text(c["type"]) == type);

    private static bool IsConditionTrue(JsonObject? status, string type) => Text(Condition(status, type)?["status"]) == "True";

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static long? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number
        : node is JsonValue other && other.TryGetValue<int>(out var small) ? small : null;

    private static string Name(JsonObject item) => Text(item["metadata"]?["name"]) ?? string.Empty;

    private static string Namespace(JsonObject item) => Text(item["metadata"]?["namespace"]) ?? string.Empty;
}
