using System.Diagnostics;
using Brokkr.Agent.Broker;
using Brokkr.Agent.Configuration;
using Brokkr.Agent.Health;
using Brokkr.Agent.Kubernetes;
using Brokkr.Contracts.Agents;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.Loop;

/// <summary>
/// Every polling interval, regardless of status (behaviour §14.2): probe the Kubernetes API, send a
/// heartbeat with reachability and latency, and on success re-read the agent's own record, which is
/// how a status change (ACTIVE, INACTIVE) reaches the agent. The first heartbeat that gets through
/// after a failed one tells <paramref name="brokerReturned"/>, so queued reports leave at once.
/// </summary>
internal sealed class HeartbeatLoop(
    AgentOptions options,
    IBrokerClient broker,
    KubeApi kube,
    AgentRuntime runtime,
    AgentMetrics metrics,
    TimeProvider time,
    ILogger<HeartbeatLoop> logger,
    Action? brokerReturned = null)
{
    public Trigger Trigger { get; } = new(time);

    public Task RunAsync(Guid agentId, CancellationToken cancellationToken)
        => Trigger.RepeatAsync(options.PollingPeriod, () => BeatAsync(agentId, cancellationToken), cancellationToken);

    public async Task BeatAsync(Guid agentId, CancellationToken cancellationToken)
    {
        var probe = await ProbeAsync(cancellationToken);
        runtime.Kube = probe;
        try
        {
            await broker.SendHeartbeatAsync(agentId, new HeartbeatReport(probe.Connected, probe.LatencyMs), cancellationToken);
            metrics.HeartbeatSent(success: true, time.GetUtcNow());
            var returned = !runtime.Broker.Connected;
            runtime.Broker = new BrokerHealth(true, time.GetUtcNow());
            if (returned)
            {
                brokerReturned?.Invoke();
            }

            var agent = await broker.GetAgentAsync(agentId, cancellationToken);
            if (agent.Status != runtime.Status)
            {
                logger.LogInformation("Agent status is now {Status} (was {Previous})", agent.Status, runtime.Status);
                runtime.Status = agent.Status;
            }
        }
        catch (BrokerException e)
        {
            metrics.HeartbeatSent(success: false, time.GetUtcNow());
            runtime.Broker = runtime.Broker with { Connected = false };
            logger.LogWarning("Heartbeat failed: {Error}", e.Message);
        }
    }

    private async Task<KubeHealth> ProbeAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await kube.VersionAsync(timeout.Token);
            return new KubeHealth(true, null, (int)Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds));
        }
        catch (KubeApiException e)
        {
            return new KubeHealth(false, e.Message, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new KubeHealth(false, "Kubernetes API did not answer within 10 s", null);
        }
    }
}
