using Prometheus;

namespace Brokkr.Agent.Health;

/// <summary>
/// The reference agent's metrics (behaviour §15), on a registry of this agent's own so that several
/// agents in one process (tests) do not share counters.
/// </summary>
internal sealed class AgentMetrics
{
    private readonly Counter _pollRequests;
    private readonly Histogram _pollDuration;
    private readonly Counter _kubernetesOperations;
    private readonly Histogram _kubernetesOperationDuration;
    private readonly Counter _heartbeats;
    private readonly Gauge _lastSuccessfulPoll;

    public AgentMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _pollRequests = factory.CreateCounter("brokkr_agent_poll_requests_total", "Target-state polls by outcome", "status");
        _pollDuration = factory.CreateHistogram("brokkr_agent_poll_duration_seconds", "Duration of target-state polls");
        _kubernetesOperations = factory.CreateCounter("brokkr_agent_kubernetes_operations_total", "Kubernetes API operations", "operation");
        _kubernetesOperationDuration = factory.CreateHistogram("brokkr_agent_kubernetes_operation_duration_seconds", "Duration of Kubernetes API operations", "operation");
        _heartbeats = factory.CreateCounter("brokkr_agent_heartbeat_sent_total", "Heartbeats sent (attempts, successful or not)");
        _lastSuccessfulPoll = factory.CreateGauge("brokkr_agent_last_successful_poll_timestamp", "Unix time of the last successful heartbeat");
    }

    public CollectorRegistry Registry { get; }

    public void Poll(bool success, TimeSpan duration)
    {
        _pollRequests.WithLabels(success ? "success" : "error").Inc();
        _pollDuration.Observe(duration.TotalSeconds);
    }

    public void KubernetesOperation(string operation, TimeSpan duration)
    {
        _kubernetesOperations.WithLabels(operation).Inc();
        _kubernetesOperationDuration.WithLabels(operation).Observe(duration.TotalSeconds);
    }

    public void HeartbeatSent(bool success, DateTimeOffset now)
    {
        _heartbeats.Inc();
        if (success)
        {
            _lastSuccessfulPoll.Set(now.ToUnixTimeMilliseconds() / 1000.0);
        }
    }
}
