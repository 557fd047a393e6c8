using Brokkr.Agent.Broker;
using Brokkr.Agent.Configuration;
using Brokkr.Agent.Domain;
using Brokkr.Agent.Health;
using Brokkr.Agent.Kubernetes;
using Brokkr.Contracts.Health;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.Loop;

/// <summary>
/// Every <c>deployment_health_interval</c> while ACTIVE (behaviour §9): the health of every deployment
/// object the applied set holds as applied (not only the last pass's, unlike the reference), sent as one
/// <c>PATCH /agents/{id}/health-status</c>. Health is a periodic measure: a report the broker misses is
/// not queued, the next one replaces it.
/// </summary>
internal sealed class HealthLoop(
    AgentOptions options,
    IBrokerClient broker,
    DeploymentHealthChecker checker,
    Func<IReadOnlyCollection<AppliedStack>> applied,
    AgentRuntime runtime,
    TimeProvider time,
    ILogger<HealthLoop> logger)
{
    public Trigger Trigger { get; } = new(time);

    public async Task RunAsync(Guid agentId, CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromSeconds(Math.Max(1, options.DeploymentHealthInterval));
        while (await Trigger.WaitAsync(period, cancellationToken))
        {
            await CheckAsync(agentId, cancellationToken);
        }
    }

    public async Task CheckAsync(Guid agentId, CancellationToken cancellationToken)
    {
        if (!runtime.IsActive)
        {
            return;
        }

        var stacks = applied().Where(s => s.Outcome == StackOutcome.Applied && s.DeploymentObjectId != Guid.Empty).ToList();
        if (stacks.Count == 0)
        {
            return;
        }

        try
        {
            var updates = await checker.CheckAsync(stacks, cancellationToken);
            await broker.ReportHealthAsync(agentId, new HealthStatusUpdate(updates), cancellationToken);
            logger.LogDebug("Reported the health of {Count} deployment objects", updates.Count);
        }
        catch (Exception e) when (e is BrokerException or KubeApiException)
        {
            logger.LogWarning("Deployment health check failed: {Error}", e.Message);
        }
    }
}
