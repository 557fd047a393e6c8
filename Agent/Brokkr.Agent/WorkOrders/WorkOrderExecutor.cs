using System.Text.Json.Nodes;
using Brokkr.Agent.Domain;
using Brokkr.Agent.Kubernetes;
using Brokkr.Contracts.WorkOrders;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.WorkOrders;

/// <summary>Timing of work-order execution (the reference's 5 s polls and 900 s build limit; tests shorten them).</summary>
internal sealed record WorkOrderSettings(string DefaultNamespace)
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan BuildTimeout { get; init; } = TimeSpan.FromSeconds(900);
}

/// <summary>
/// Runs one claimed work order (behaviour §6). <c>custom</c>: applies every document (server-side apply,
/// field manager <c>brokkr-agent</c>, force, with the Kubernetes retry), then follows each
/// <c>batch/v1</c> Job until Complete or Failed within the claim's budget
/// (<c>claim_timeout − max(10 %, 60 s)</c> from the claim). <c>build</c>: applies the Shipwright Builds and
/// follows a BuildRun to its <c>Succeeded</c> condition (900 s). Anything else fails for good.
/// </summary>
internal sealed class WorkOrderExecutor(KubeApi api, ResourceCatalog catalog, KubeRetry retry, WorkOrderSettings settings, TimeProvider time, ILogger<WorkOrderExecutor> logger)
{
    public const string FieldManager = "brokkr-agent";

    public async Task<WorkOrderOutcome> RunAsync(WorkOrder order, DateTimeOffset claimedAt, CancellationToken cancellationToken)
    {
        try
        {
            return order.WorkType switch
            {
                "custom" => await CustomAsync(order, claimedAt, cancellationToken),
                "build" => await BuildAsync(order, cancellationToken),
                _ => WorkOrderOutcome.Failed($"Unknown work type '{order.WorkType}'", retryable: false),
            };
        }
        catch (ManifestException e)
        {
            return WorkOrderOutcome.Failed($"Invalid work order YAML: {e.Message}", retryable: false);
        }
        catch (KubeApiException e)
        {
            return WorkOrderOutcome.Failed(e.Message, e.IsRetryable);
        }
    }

    private async Task<WorkOrderOutcome> CustomAsync(WorkOrder order, DateTimeOffset claimedAt, CancellationToken cancellationToken)
    {
        var objects = ManifestParser.Parse(order.YamlContent);
        var applied = new List<(ManifestObject Source, string? Namespace)>();
        foreach (var item in objects)
        {
            applied.Add((item, await ApplyAsync(item, cancellationToken)));
        }

        var jobs = applied.Where(a => a.Source.ApiVersion == "batch/v1" && a.Source.Kind == "Job").ToList();
        var others = applied.Where(a => !jobs.Contains(a)).Select(a => a.Source.ToString()).ToList();
        if (jobs.Count == 0)
        {
            return WorkOrderOutcome.Succeeded(others.Count == 0 ? "Nothing to apply" : $"Applied {string.Join(", ", others)}");
        }

        var timeout = TimeSpan.FromSeconds(order.ClaimTimeoutSeconds);
        var margin = TimeSpan.FromTicks(Math.Max(timeout.Ticks / 10, TimeSpan.FromSeconds(60).Ticks));
        var deadline = claimedAt + timeout - margin;
        var jobResource = await catalog.ResolveAsync("batch/v1", "Job", cancellationToken) ?? throw new KubeApiException(404, "NotFound", "the cluster serves no batch/v1 Jobs");
        var done = new List<string>();
        foreach (var (job, ns) in jobs)
        {
            while (true)
            {
                var live = await api.GetAsync(jobResource.ObjectPath(ns, job.Name), cancellationToken);
                if (live is null)
                {
                    return WorkOrderOutcome.Failed($"Job {ns}/{job.Name} disappeared before it finished; the outcome is unknown", retryable: false);
                }

                var conditions = (live["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
                if (conditions.Any(c => Is(c, "Complete")))
                {
                    done.Add($"Job {ns}/{job.Name}");
                    break;
                }

                if (conditions.FirstOrDefault(c => Is(c, "Failed")) is { } failed)
                {
                    return WorkOrderOutcome.Failed($"Job {ns}/{job.Name} failed: {failed["reason"]?.GetValue<string>()} {failed["message"]?.GetValue<string>()}".Trim(), retryable: false);
                }

                if (time.GetUtcNow() >= deadline)
                {
                    return WorkOrderOutcome.Failed($"Timed out waiting for Job {ns}/{job.Name}; the outcome is unknown", retryable: false);
                }

                await Task.Delay(settings.PollInterval, time, cancellationToken);
            }
        }

        var message = $"Completed {string.Join(", ", done)}";
        return WorkOrderOutcome.Succeeded(others.Count == 0 ? message : $"{message}; applied {string.Join(", ", others)}");
    }

    private async Task<WorkOrderOutcome> BuildAsync(WorkOrder order, CancellationToken cancellationToken)
    {
        var objects = ManifestParser.Parse(order.YamlContent);
        var builds = objects.Where(o => o.Kind == "Build" && o.ApiVersion.StartsWith("shipwright.io", StringComparison.Ordinal)).ToList();
        string buildName;
        string? ns;
        if (builds.Count > 0)
        {
            ns = null;
            foreach (var build in builds)
            {
                ns = await ApplyAsync(build, cancellationToken);
            }

            buildName = builds[0].Name;
        }
        else if (objects.FirstOrDefault(o => o.Kind == "WorkOrder" && o.ApiVersion.StartsWith("brokkr.io", StringComparison.Ordinal)) is { } reference
            && reference.Body["spec"]?["buildRef"]?["name"]?.GetValue<string>() is { } named)
        {
            buildName = named;
            ns = reference.Namespace;
        }
        else
        {
            return WorkOrderOutcome.Failed("A build work order needs a shipwright.io Build or a brokkr.io WorkOrder with spec.buildRef.name", retryable: false);
        }

        ns ??= settings.DefaultNamespace;
        var buildRuns = await catalog.ResolveAsync("shipwright.io/v1beta1", "BuildRun", cancellationToken);
        if (buildRuns is null)
        {
            return WorkOrderOutcome.Failed("Shipwright is not installed in this cluster (no shipwright.io/v1beta1 BuildRun)", retryable: false);
        }

        var runName = $"{buildName}-{order.Id.ToString("N")[..8]}";
        var run = new JsonObject
        {
            ["apiVersion"] = "shipwright.io/v1beta1",
            ["kind"] = "BuildRun",
            ["metadata"] = new JsonObject
            {
                ["name"] = runName,
                ["namespace"] = ns,
                ["labels"] = new JsonObject { ["brokkr.io/work-order-id"] = order.Id.ToString(), ["shipwright.io/build"] = buildName },
            },
            ["spec"] = new JsonObject { ["build"] = new JsonObject { ["name"] = buildName } },
        };
        var path = buildRuns.ObjectPath(ns, runName);
        await retry.RunAsync(ct => api.ApplyAsync(path, run, FieldManager, force: true, dryRun: false, ct), cancellationToken);

        var deadline = time.GetUtcNow() + settings.BuildTimeout;
        while (true)
        {
            var live = await api.GetAsync(path, cancellationToken)
                ?? throw new KubeApiException(404, "NotFound", $"BuildRun {ns}/{runName} disappeared");
            var succeeded = (live["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == "Succeeded");
            switch (succeeded?["status"]?.GetValue<string>())
            {
                case "True":
                    return WorkOrderOutcome.Succeeded(live["status"]?["output"]?["digest"]?.GetValue<string>() ?? $"BuildRun {ns}/{runName} succeeded");
                case "False":
                    var message = $"BuildRun {ns}/{runName} failed: {succeeded!["reason"]?.GetValue<string>()} {succeeded["message"]?.GetValue<string>()}".Trim();
                    return WorkOrderOutcome.Failed(message, WorkOrderOutcome.IsRetryable(message));
            }

            if (time.GetUtcNow() >= deadline)
            {
                return WorkOrderOutcome.Failed($"Timed out after {settings.BuildTimeout.TotalSeconds:0} s waiting for BuildRun {ns}/{runName}", retryable: true);
            }

            await Task.Delay(settings.PollInterval, time, cancellationToken);
        }
    }

    /// <summary>Applies one document where it belongs; returns its namespace (null for cluster-scoped kinds).</summary>
    private async Task<string?> ApplyAsync(ManifestObject item, CancellationToken cancellationToken)
    {
        var resource = await catalog.ResolveAsync(item.ApiVersion, item.Kind, cancellationToken)
            ?? throw new KubeApiException(404, "NotFound", $"{item}: the cluster has no kind {item.Kind} in {item.ApiVersion}");
        var body = (JsonObject)item.Body.DeepClone();
        var metadata = (JsonObject)body["metadata"]!;
        string? ns = null;
        if (resource.Namespaced)
        {
            ns = item.Namespace ?? settings.DefaultNamespace;
            metadata["namespace"] = ns;
        }
        else
        {
            metadata.Remove("namespace");
        }

        await retry.RunAsync(ct => api.ApplyAsync(resource.ObjectPath(ns, item.Name), body, FieldManager, force: true, dryRun: false, ct), cancellationToken);
        logger.LogDebug("Work order applied {Object}", item);
        return ns;
    }

    private static bool Is(JsonObject condition, string type)
        => condition["type"]?.GetValue<string>() == type && condition["status"]?.GetValue<string>() == "True";
}
