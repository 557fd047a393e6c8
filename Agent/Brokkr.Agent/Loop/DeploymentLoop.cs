using System.Diagnostics;
using Brokkr.Agent.Apply;
using Brokkr.Agent.Broker;
using Brokkr.Agent.Configuration;
using Brokkr.Agent.Domain;
using Brokkr.Agent.Health;
using Brokkr.Agent.Reporting;
using Brokkr.Agent.State;
using Brokkr.Contracts.Agents;
using Brokkr.Contracts.Stacks;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.Loop;

/// <summary>
/// The deployment step (ADR 0025), every polling interval while the agent is ACTIVE:
/// <list type="bullet">
/// <item>a cheap poll, <c>mode=full&amp;since_sequence=&lt;cursor&gt;</c> with its ETag, brings new
/// revisions and deletion markers (usually a 304);</item>
/// <item>a resync, <c>mode=full</c> with its ETag, at start and every few polls, is the authoritative
/// membership: stacks newly associated with an older revision, and stacks no longer associated;</item>
/// <item><see cref="DeploymentPlanner"/> compares that with the applied set, the reconciler carries out
/// each action, the applied set is saved, and a DEPLOY event is queued for every outcome.</item>
/// </list>
/// Nothing is pruned on a failed poll or because a stack is absent from the cheap poll.
/// </summary>
internal sealed class DeploymentLoop(
    AgentOptions options,
    IBrokerClient broker,
    Reconciler reconciler,
    AppliedSetStore store,
    EventQueue events,
    AgentRuntime runtime,
    AgentMetrics metrics,
    TimeProvider time,
    ILogger<DeploymentLoop> logger)
{
    public const string DeployEventType = "DEPLOY";

    /// <summary>Every this many polls the full target state is read without the cursor.</summary>
    public const int ResyncEvery = 6;

    private readonly Dictionary<Guid, DeploymentObject> _desired = new();
    private Dictionary<Guid, AppliedStack> _applied = new();
    private bool _haveFullState;
    private long _cursor;
    private string? _fullETag;
    private string? _incrementalETag;
    private int _pollsSinceResync;
    private volatile bool _resyncRequested = true;

    public Trigger Trigger { get; } = new(time);

    private volatile IReadOnlyDictionary<Guid, AppliedStack> _snapshot = new Dictionary<Guid, AppliedStack>();

    /// <summary>A copy of the applied set as of the last change, safe to read from any thread.</summary>
    public IReadOnlyDictionary<Guid, AppliedStack> Applied => _snapshot;

    public void Initialize(Dictionary<Guid, AppliedStack> applied)
    {
        _applied = applied;
        Publish();
    }

    private void Publish() => _snapshot = new Dictionary<Guid, AppliedStack>(_applied);

    /// <summary>Makes the next pass read the full target state (a target or stack changed).</summary>
    public void RequestResync()
    {
        _resyncRequested = true;
        Trigger.Fire();
    }

    /// <summary>
    /// Runs passes until <paramref name="stopping"/> fires; a pass in progress then finishes (its
    /// Kubernetes calls use <paramref name="hard"/>, which fires only when the shutdown grace runs out).
    /// </summary>
    public Task RunAsync(Guid agentId, CancellationToken stopping, CancellationToken hard)
        => Trigger.RepeatAsync(options.PollingPeriod, () => PassAsync(agentId, stopping, hard), stopping);

    public async Task PassAsync(Guid agentId, CancellationToken stopping, CancellationToken hard)
    {
        if (!runtime.IsActive)
        {
            return;
        }

        if (!await PollAsync(agentId, hard))
        {
            return;
        }

        var actions = DeploymentPlanner.Plan(_desired.Values.ToList(), _applied, time.GetUtcNow());
        foreach (var action in actions)
        {
            if (stopping.IsCancellationRequested || !runtime.IsActive)
            {
                return;
            }

            await ExecuteAsync(agentId, action, hard);
        }
    }

    /// <summary>
    /// Start-up: objects the broker still lists as unacknowledged (incremental mode) whose outcome the
    /// applied set knows get their event now, unless one is already queued (a crash between the
    /// apply and the queueing, or an applied set rebuilt from the cluster).
    /// </summary>
    public async Task ReportUnacknowledgedAsync(Guid agentId, CancellationToken cancellationToken)
    {
        try
        {
            var pending = await broker.GetTargetStateAsync(agentId, full: false, sinceSequence: null, ifNoneMatch: null, revalidate: false, cancellationToken);
            foreach (var item in pending.Objects ?? [])
            {
                if (_applied.TryGetValue(item.StackId, out var state) && state.DeploymentObjectId == item.Id && !events.Contains(item.Id))
                {
                    var status = state.Outcome == StackOutcome.Failed ? Reconciler.Failure : Reconciler.Success;
                    events.Enqueue(new NewAgentEvent(agentId, item.Id, DeployEventType, status, state.Error));
                }
            }
        }
        catch (BrokerException e)
        {
            logger.LogWarning("Could not check for unacknowledged revisions: {Error}", e.Message);
        }
    }

    private async Task<bool> PollAsync(Guid agentId, CancellationToken cancellationToken)
    {
        var resync = _resyncRequested || !_haveFullState || ++_pollsSinceResync >= ResyncEvery;
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (resync)
            {
                // Asked for by a push (or at start): the broker must not answer from a cache that may not
                // have heard of the change yet (ADR 0033).
                var full = await broker.GetTargetStateAsync(agentId, full: true, sinceSequence: null, _fullETag, revalidate: _resyncRequested, cancellationToken);
                _resyncRequested = false;
                _pollsSinceResync = 0;
                _fullETag = full.ETag;
                if (full.Objects is { } objects)
                {
                    _desired.Clear();
                    Merge(objects);
                    _haveFullState = true;
                    ForgetExpiredMarkers();
                }
            }
            else
            {
                var increment = await broker.GetTargetStateAsync(agentId, full: true, sinceSequence: _cursor, _incrementalETag, revalidate: false, cancellationToken);
                _incrementalETag = increment.ETag;
                if (increment.Objects is { } objects)
                {
                    Merge(objects);
                }
            }

            metrics.Poll(success: true, Stopwatch.GetElapsedTime(started));
            return _haveFullState;
        }
        catch (BrokerException e)
        {
            metrics.Poll(success: false, Stopwatch.GetElapsedTime(started));
            logger.LogWarning("Target state poll failed; nothing changes until the broker answers: {Error}", e.Message);
            return false;
        }
    }

    /// <summary>A carried-out deletion marker the broker no longer offers needs no record (the broker keeps offering it for days).</summary>
    private void ForgetExpiredMarkers()
    {
        foreach (var gone in _applied.Values.Where(a => a.Outcome == StackOutcome.Deleted && !_desired.ContainsKey(a.StackId)).ToList())
        {
            _applied.Remove(gone.StackId);
        }

        Publish();
    }

    private void Merge(IReadOnlyList<DeploymentObject> objects)
    {
        foreach (var item in objects)
        {
            if (!_desired.TryGetValue(item.StackId, out var known) || known.SequenceId < item.SequenceId)
            {
                _desired[item.StackId] = item;
            }

            _cursor = Math.Max(_cursor, item.SequenceId);
        }
    }

    private async Task ExecuteAsync(Guid agentId, StackAction action, CancellationToken cancellationToken)
    {
        _applied.TryGetValue(action.StackId, out var previous);
        ReconcileResult result;
        Guid? reported;
        switch (action)
        {
            case StackAction.Apply apply:
                result = await reconciler.ApplyAsync(apply.Revision, agentId, previous, cancellationToken);
                reported = apply.Revision.Id;
                break;
            case StackAction.DeleteStack delete:
                result = await reconciler.DeleteStackAsync(delete.Stack, delete.Marker, agentId, previous, cancellationToken);
                reported = delete.Marker?.Id;
                break;
            default:
                throw new InvalidOperationException($"unknown action {action}");
        }

        if (result.State is null)
        {
            _applied.Remove(action.StackId);
        }
        else
        {
            _applied[action.StackId] = result.State;
        }

        store.Save(agentId, _applied);
        Publish();

        // A retry failing the same way again is not news: one FAILURE per distinct reason.
        var repeated = result.EventStatus == Reconciler.Failure && previous is { Outcome: StackOutcome.Failed } && previous.DeploymentObjectId == reported
            && previous.Error == result.Message;
        if (reported is { } deploymentObjectId && result.EventStatus is { } status && !repeated)
        {
            events.Enqueue(new NewAgentEvent(agentId, deploymentObjectId, DeployEventType, status, result.Message));
        }
    }
}
