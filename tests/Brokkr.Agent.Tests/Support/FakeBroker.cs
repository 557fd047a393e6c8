using System.Collections.Concurrent;
using System.Net;
using Brokkr.Agent.Broker;
using Brokkr.Contracts.Agents;
using Brokkr.Contracts.Stacks;
using AgentRecord = Brokkr.Contracts.Agents.Agent;

namespace Brokkr.Agent.Tests.Support;

/// <summary>
/// An in-memory broker for the agent's loop tests: one agent, a target state the test edits, the
/// events and heartbeats the agent sent, and a switch that makes every call fail as if unreachable.
/// Target state follows our broker: full mode, newest object per stack, ETag and 304.
/// </summary>
internal sealed class FakeBroker : IBrokerClient
{
    private readonly object _gate = new();
    private readonly Dictionary<Guid, DeploymentObject> _byStack = new();
    private long _sequence = 100;

    public FakeBroker(string name = "agent-a", string cluster = "cluster-a", string status = "ACTIVE")
    {
        Agent = new AgentRecord(Guid.NewGuid(), DateTime.UtcNow, DateTime.UtcNow, null, name, cluster, null, status, null, null, null);
    }

    public AgentRecord Agent { get; private set; }

    public bool Down { get; set; }

    /// <summary>Target-state reads sent with <c>Cache-Control: no-cache</c>.</summary>
    public int RevalidatedPolls;

    public bool Ready { get; set; } = true;

    /// <summary>Events are refused as if the broker were down, while everything else answers.</summary>
    public bool RejectEvents { get; set; }

    public HttpStatusCode? PakAnswer { get; set; }

    /// <summary>What the batch route answers: null accepts, 404 or 405 plays an older broker, 400 refuses the batch.</summary>
    public HttpStatusCode? BatchAnswer { get; set; }

    /// <summary>Events refused (400) by either route: the batch that holds one, or the single post.</summary>
    public HashSet<string> RefusedMessages { get; } = [];

    public ConcurrentQueue<int> BatchSizes { get; } = new();

    public ConcurrentQueue<NewAgentEvent> Events { get; } = new();

    public ConcurrentQueue<HeartbeatReport> Heartbeats { get; } = new();

    public ConcurrentQueue<Guid> Registrations { get; } = new();

    public ConcurrentQueue<Brokkr.Contracts.Health.HealthStatusUpdate> HealthReports { get; } = new();

    private readonly List<Brokkr.Contracts.WorkOrders.WorkOrder> _workOrders = [];

    private readonly List<Brokkr.Contracts.Diagnostics.DiagnosticRequest> _diagnostics = [];

    private readonly Queue<Brokkr.Agent.Webhooks.PendingWebhookDelivery> _webhooks = new();

    public ConcurrentDictionary<Guid, Brokkr.Agent.Webhooks.DeliveryResultRequest> WebhookResults { get; } = new();

    public void AddWebhook(Brokkr.Agent.Webhooks.PendingWebhookDelivery delivery)
    {
        lock (_gate)
        {
            _webhooks.Enqueue(delivery);
        }
    }

    public Task<IReadOnlyList<Brokkr.Agent.Webhooks.PendingWebhookDelivery>> GetPendingWebhooksAsync(Guid agentId, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        lock (_gate)
        {
            var claimed = new List<Brokkr.Agent.Webhooks.PendingWebhookDelivery>();
            while (claimed.Count < 10 && _webhooks.TryDequeue(out var next))
            {
                claimed.Add(next);
            }

            return Task.FromResult<IReadOnlyList<Brokkr.Agent.Webhooks.PendingWebhookDelivery>>(claimed);
        }
    }

    public Task ReportWebhookResultAsync(Guid deliveryId, Brokkr.Agent.Webhooks.DeliveryResultRequest result, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        WebhookResults[deliveryId] = result;
        return Task.CompletedTask;
    }

    public ConcurrentDictionary<Guid, Brokkr.Contracts.Diagnostics.SubmitDiagnosticResult> DiagnosticResults { get; } = new();

    /// <summary>Deployment objects the agent may read (<c>GET /deployment-objects/{id}</c>); others answer 403 as for a label match.</summary>
    public bool AllowDeploymentObjectReads { get; set; } = true;

    public Brokkr.Contracts.Diagnostics.DiagnosticRequest RequestDiagnostics(Guid deploymentObjectId)
    {
        var request = new Brokkr.Contracts.Diagnostics.DiagnosticRequest(Guid.NewGuid(), Agent.Id, deploymentObjectId, "pending", "test", DateTime.UtcNow, null, null, DateTime.UtcNow.AddMinutes(5));
        lock (_gate)
        {
            _diagnostics.Add(request);
        }

        return request;
    }

    public Task<IReadOnlyList<Brokkr.Contracts.Diagnostics.DiagnosticRequest>> GetPendingDiagnosticsAsync(Guid agentId, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Brokkr.Contracts.Diagnostics.DiagnosticRequest>>(_diagnostics.Where(d => d.Status == "pending").ToList());
        }
    }

    public Task ClaimDiagnosticAsync(Guid requestId, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        lock (_gate)
        {
            var index = _diagnostics.FindIndex(d => d.Id == requestId && d.Status == "pending");
            if (index < 0)
            {
                throw new BrokerException("not pending", HttpStatusCode.Conflict, "diagnostic_not_pending");
            }

            _diagnostics[index] = _diagnostics[index] with { Status = "claimed", ClaimedAt = DateTime.UtcNow };
        }

        return Task.CompletedTask;
    }

    public Task SubmitDiagnosticResultAsync(Guid requestId, Brokkr.Contracts.Diagnostics.SubmitDiagnosticResult result, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        DiagnosticResults[requestId] = result;
        return Task.CompletedTask;
    }

    public Task<DeploymentObject> GetDeploymentObjectAsync(Guid deploymentObjectId, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        lock (_gate)
        {
            return AllowDeploymentObjectReads && _byStack.Values.FirstOrDefault(o => o.Id == deploymentObjectId) is { } item
                ? Task.FromResult(item)
                : throw new BrokerException("not associated", HttpStatusCode.Forbidden, "agent_not_associated");
        }
    }

    public ConcurrentDictionary<Guid, Brokkr.Contracts.WorkOrders.CompleteWorkOrderRequest> Completions { get; } = new();

    public Brokkr.Contracts.WorkOrders.WorkOrder AddWorkOrder(string workType, string yaml, int claimTimeoutSeconds = 3600, Guid? claimedBy = null)
    {
        var order = new Brokkr.Contracts.WorkOrders.WorkOrder(Guid.NewGuid(), DateTime.UtcNow, DateTime.UtcNow, workType, yaml, claimedBy is null ? "PENDING" : "CLAIMED",
            claimedBy, null, claimTimeoutSeconds, 3, 0, 60, null, null, null);
        lock (_gate)
        {
            _workOrders.Add(order);
        }

        return order;
    }

    public Task<IReadOnlyList<Brokkr.Contracts.WorkOrders.WorkOrder>> GetPendingWorkOrdersAsync(Guid agentId, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Brokkr.Contracts.WorkOrders.WorkOrder>>(_workOrders.Where(w => w.Status == "PENDING" || w.ClaimedBy != agentId && w.Status == "CLAIMED").ToList());
        }
    }

    public Task<Brokkr.Contracts.WorkOrders.WorkOrder> ClaimWorkOrderAsync(Guid workOrderId, Guid agentId, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        lock (_gate)
        {
            var index = _workOrders.FindIndex(w => w.Id == workOrderId);
            if (index < 0 || _workOrders[index].Status != "PENDING")
            {
                throw new BrokerException("already claimed", HttpStatusCode.Conflict, "work_order_not_claimable");
            }

            var claimed = _workOrders[index] with { Status = "CLAIMED", ClaimedBy = agentId, ClaimedAt = DateTime.UtcNow };
            _workOrders[index] = claimed;
            return Task.FromResult(claimed);
        }
    }

    public Task CompleteWorkOrderAsync(Guid workOrderId, Brokkr.Contracts.WorkOrders.CompleteWorkOrderRequest completion, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        lock (_gate)
        {
            _workOrders.RemoveAll(w => w.Id == workOrderId);
        }

        Completions[workOrderId] = completion;
        return Task.CompletedTask;
    }

    public Task ReportHealthAsync(Guid agentId, Brokkr.Contracts.Health.HealthStatusUpdate update, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        HealthReports.Enqueue(update);
        return Task.CompletedTask;
    }

    public int TargetStatePolls;

    public int NotModifiedAnswers;

    /// <summary>Target-state polls in full mode (the deployment loop's; the start-up check uses incremental mode).</summary>
    public int FullPolls;

    public void SetStatus(string status)
    {
        lock (_gate)
        {
            Agent = Agent with { Status = status };
        }
    }

    public DeploymentObject Publish(Guid stackId, string yaml)
    {
        lock (_gate)
        {
            var checksum = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(yaml)));
            var item = new DeploymentObject(Guid.NewGuid(), DateTime.UtcNow, DateTime.UtcNow, null, ++_sequence, stackId, yaml, checksum, DateTime.UtcNow, false);
            _byStack[stackId] = item;
            return item;
        }
    }

    public DeploymentObject DeleteStack(Guid stackId)
    {
        lock (_gate)
        {
            var marker = new DeploymentObject(Guid.NewGuid(), DateTime.UtcNow, DateTime.UtcNow, null, ++_sequence, stackId, string.Empty,
                "d41d8cd98f00b204e9800998ecf8427e", DateTime.UtcNow, true);
            _byStack[stackId] = marker;
            return marker;
        }
    }

    /// <summary>The stack is no longer associated with the agent (a target removed).</summary>
    public void Disassociate(Guid stackId)
    {
        lock (_gate)
        {
            _byStack.Remove(stackId);
        }
    }

    public IReadOnlyList<NewAgentEvent> EventsFor(Guid deploymentObjectId) => Events.Where(e => e.DeploymentObjectId == deploymentObjectId).ToList();

    public Task<bool> IsReadyAsync(CancellationToken cancellationToken) => Task.FromResult(Ready && !Down);

    public Task<AuthResponse> VerifyPakAsync(CancellationToken cancellationToken)
    {
        ThrowIfDown();
        if (PakAnswer is { } status)
        {
            throw new BrokerException("refused", status, "unauthorized");
        }

        return Task.FromResult(new AuthResponse(false, Agent.Id.ToString(), null, false));
    }

    public Task<AgentRecord> FindAgentAsync(string name, string clusterName, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return name == Agent.Name && clusterName == Agent.ClusterName
            ? Task.FromResult(Agent)
            : throw new BrokerException("Agent not found", HttpStatusCode.NotFound, "agent_not_found");
    }

    public Task<AgentRecord> GetAgentAsync(Guid agentId, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return Task.FromResult(Agent);
    }

    public Task<bool> RegisterWithGeneratorAsync(Guid generatorId, Guid agentId, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        Registrations.Enqueue(generatorId);
        return Task.FromResult(true);
    }

    public Task<TargetStateResult> GetTargetStateAsync(Guid agentId, bool full, long? sinceSequence, string? ifNoneMatch, bool revalidate, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        Interlocked.Increment(ref TargetStatePolls);
        if (revalidate)
        {
            Interlocked.Increment(ref RevalidatedPolls);
        }

        if (full)
        {
            Interlocked.Increment(ref FullPolls);
        }
        lock (_gate)
        {
            var items = _byStack.Values
                .Where(o => full || !Events.Any(e => e.DeploymentObjectId == o.Id))
                .Where(o => sinceSequence is null || o.SequenceId > sinceSequence)
                .OrderByDescending(o => o.SequenceId)
                .ToList();
            var etag = "\"" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
                $"{full}|{sinceSequence}|" + string.Join(',', items.Select(i => $"{i.Id}:{i.SequenceId}"))))) + "\"";
            if (ifNoneMatch == etag)
            {
                Interlocked.Increment(ref NotModifiedAnswers);
                return Task.FromResult(new TargetStateResult(etag, null));
            }

            return Task.FromResult(new TargetStateResult(etag, items));
        }
    }

    public Task SendHeartbeatAsync(Guid agentId, HeartbeatReport report, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        Heartbeats.Enqueue(report);
        return Task.CompletedTask;
    }

    public Task<AgentEvent> SendEventAsync(Guid agentId, NewAgentEvent agentEvent, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        if (RejectEvents)
        {
            throw new BrokerException("broker unreachable (test)");
        }

        if (agentEvent.Message is { } message && RefusedMessages.Contains(message))
        {
            throw new BrokerException("refused (test)", HttpStatusCode.BadRequest, "invalid_agent_event");
        }

        Events.Enqueue(agentEvent);
        return Task.FromResult(new AgentEvent(Guid.NewGuid(), DateTime.UtcNow, DateTime.UtcNow, null, agentId, agentEvent.DeploymentObjectId,
            agentEvent.EventType, agentEvent.Status, agentEvent.Message));
    }

    public Task<IReadOnlyList<AgentEvent>> SendEventsAsync(Guid agentId, IReadOnlyList<NewAgentEvent> events, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        if (RejectEvents)
        {
            throw new BrokerException("broker unreachable (test)");
        }

        if (BatchAnswer is { } status)
        {
            throw new BrokerException($"{(int)status} (test)", status);
        }

        if (events.Any(e => e.Message is { } message && RefusedMessages.Contains(message)))
        {
            throw new BrokerException("refused (test)", HttpStatusCode.BadRequest, "invalid_agent_event");
        }

        BatchSizes.Enqueue(events.Count);
        foreach (var e in events)
        {
            Events.Enqueue(e);
        }

        return Task.FromResult<IReadOnlyList<AgentEvent>>([.. events.Select(e => new AgentEvent(Guid.NewGuid(), DateTime.UtcNow, DateTime.UtcNow, null, agentId, e.DeploymentObjectId,
            e.EventType, e.Status, e.Message))]);
    }

    private void ThrowIfDown()
    {
        if (Down)
        {
            throw new BrokerException("broker unreachable (test)");
        }
    }
}
