using System.Globalization;
using System.Text.Json.Nodes;
using Brokkr.Agent.Kubernetes;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.Loop;

/// <summary>
/// Active-passive pairs (ours): the replica holding the <c>coordination.k8s.io/v1</c> Lease works, the
/// other waits. The holder renews every fifth of the lease duration; a Lease not renewed for its
/// duration may be taken over. Writes are conditional on the Lease's resourceVersion, so two replicas
/// never both win. Losing the Lease (no renewal for two thirds of its duration) ends the agent's work;
/// a graceful stop releases it so the standby takes over at once.
/// </summary>
internal sealed class LeaderElector(KubeApi api, string ns, string name, string identity, TimeSpan leaseDuration, TimeProvider time, ILogger<LeaderElector> logger)
{
    private readonly string _collection = $"apis/coordination.k8s.io/v1/namespaces/{Uri.EscapeDataString(ns)}/leases";

    public string Identity => identity;

    public TimeSpan RetryPeriod => leaseDuration / 5;

    public TimeSpan RenewDeadline => leaseDuration * 2 / 3;

    public volatile bool IsLeader;

    /// <summary>Returns once this replica holds the Lease.</summary>
    public async Task AcquireAsync(CancellationToken cancellationToken)
    {
        var announced = false;
        while (!await TryAcquireOrRenewAsync(cancellationToken))
        {
            if (!announced)
            {
                logger.LogInformation("Standing by: Lease {Namespace}/{Name} is held by another replica", ns, name);
                announced = true;
            }

            await Task.Delay(RetryPeriod, time, cancellationToken);
        }

        IsLeader = true;
        logger.LogInformation("Acquired Lease {Namespace}/{Name} as {Identity}", ns, name, identity);
    }

    /// <summary>Renews until <paramref name="cancellationToken"/> fires; returns early when the Lease is lost.</summary>
    public async Task KeepAsync(CancellationToken cancellationToken)
    {
        var lastRenewal = time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RetryPeriod, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            bool renewed;
            try
            {
                renewed = await TryAcquireOrRenewAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (renewed)
            {
                lastRenewal = time.GetUtcNow();
            }
            else if (time.GetUtcNow() - lastRenewal > RenewDeadline)
            {
                IsLeader = false;
                logger.LogCritical("Lost Lease {Namespace}/{Name}", ns, name);
                return;
            }
        }
    }

    /// <summary>Gives the Lease up (graceful stop) so the standby need not wait for it to expire.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (!IsLeader)
        {
            return;
        }

        IsLeader = false;
        try
        {
            var lease = await api.GetAsync($"{_collection}/{Uri.EscapeDataString(name)}", cancellationToken);
            if (lease?["spec"]?["holderIdentity"]?.GetValue<string>() == identity)
            {
                lease["spec"]!["holderIdentity"] = null;
                lease["spec"]!["leaseDurationSeconds"] = 1;
                await api.ReplaceAsync($"{_collection}/{Uri.EscapeDataString(name)}", lease, cancellationToken);
                logger.LogInformation("Released Lease {Namespace}/{Name}", ns, name);
            }
        }
        catch (KubeApiException e)
        {
            logger.LogWarning("Could not release Lease {Namespace}/{Name}: {Error}", ns, name, e.Message);
        }
    }

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stamp = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        try
        {
            var lease = await api.GetAsync($"{_collection}/{Uri.EscapeDataString(name)}", cancellationToken);
            if (lease is null)
            {
                await api.CreateAsync(_collection, new JsonObject
                {
                    ["apiVersion"] = "coordination.k8s.io/v1",
                    ["kind"] = "Lease",
                    ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
                    ["spec"] = new JsonObject
                    {
                        ["holderIdentity"] = identity,
                        ["leaseDurationSeconds"] = (int)leaseDuration.TotalSeconds,
                        ["acquireTime"] = stamp,
                        ["renewTime"] = stamp,
                        ["leaseTransitions"] = 0,
                    },
                }, cancellationToken);
                return true;
            }

            var spec = lease["spec"] as JsonObject ?? new JsonObject();
            lease["spec"] = spec;
            var holder = spec["holderIdentity"]?.GetValue<string>();
            var renewed = spec["renewTime"]?.GetValue<string>() is { } renewTime && DateTimeOffset.TryParse(renewTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : DateTimeOffset.MinValue;
            var duration = spec["leaseDurationSeconds"] is JsonValue d && d.TryGetValue<int>(out var seconds) ? TimeSpan.FromSeconds(seconds) : leaseDuration;
            if (holder == identity)
            {
                spec["renewTime"] = stamp;
                spec["leaseDurationSeconds"] = (int)leaseDuration.TotalSeconds;
            }
            else if (string.IsNullOrEmpty(holder) || renewed + duration < now)
            {
                spec["holderIdentity"] = identity;
                spec["acquireTime"] = stamp;
                spec["renewTime"] = stamp;
                spec["leaseDurationSeconds"] = (int)leaseDuration.TotalSeconds;
                spec["leaseTransitions"] = (spec["leaseTransitions"] is JsonValue t && t.TryGetValue<int>(out var transitions) ? transitions : 0) + 1;
            }
            else
            {
                return false;
            }

            await api.ReplaceAsync($"{_collection}/{Uri.EscapeDataString(name)}", lease, cancellationToken);
            return true;
        }
        catch (KubeApiException e) when (e.StatusCode is 409 or 0 or >= 500)
        {
            logger.LogDebug("Lease {Namespace}/{Name} not taken this round: {Error}", ns, name, e.Message);
            return false;
        }
    }
}
