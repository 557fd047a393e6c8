using System.Text.Json;
using Brokkr.Agent.Broker;
using Brokkr.Agent.State;
using Brokkr.Contracts.Agents;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.Reporting;

/// <summary>
/// DEPLOY events waiting for the broker: kept in <c>events.json</c> in the state directory and sent
/// oldest first until the broker accepts them, so none is lost while the broker is down or across
/// a restart. A 4xx other than 401, 403, 408 and 429 can never succeed and drops the event.
/// </summary>
internal sealed class EventQueue(IBrokerClient broker, string directory, TimeProvider time, ILogger<EventQueue> logger)
{
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    internal sealed record Entry(Guid Id, NewAgentEvent Event, DateTimeOffset QueuedAt, int Attempts);

    private readonly object _gate = new();
    private readonly SemaphoreSlim _signal = new(0);
    private List<Entry>? _entries;

    public string Path { get; } = System.IO.Path.Combine(directory, "events.json");

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return Entries.Count;
            }
        }
    }

    public bool Contains(Guid deploymentObjectId)
    {
        lock (_gate)
        {
            return Entries.Any(e => e.Event.DeploymentObjectId == deploymentObjectId);
        }
    }

    public void Enqueue(NewAgentEvent agentEvent)
    {
        lock (_gate)
        {
            Entries.Add(new Entry(Guid.NewGuid(), agentEvent, time.GetUtcNow(), 0));
            Save();
        }

        _signal.Release();
    }

    /// <summary>Sends until <paramref name="cancellationToken"/> fires, backing off (1 s doubling to 60 s) while the broker refuses.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!cancellationToken.IsCancellationRequested)
        {
            var sent = await SendPendingAsync(cancellationToken);
            try
            {
                if (sent)
                {
                    backoff = TimeSpan.FromSeconds(1);
                    await _signal.WaitAsync(cancellationToken);
                }
                else
                {
                    await _signal.WaitAsync(backoff, cancellationToken);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Tries to send everything once; true when the queue is now empty.</summary>
    public async Task<bool> SendPendingAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Entry? next;
            lock (_gate)
            {
                next = Entries.FirstOrDefault();
            }

            if (next is null)
            {
                return true;
            }

            try
            {
                await broker.SendEventAsync(next.Event.AgentId, next.Event, cancellationToken);
                logger.LogInformation("Reported {Status} for deployment object {DeploymentObjectId}", next.Event.Status, next.Event.DeploymentObjectId);
                Remove(next);
            }
            catch (BrokerException e) when (!e.IsTransient)
            {
                logger.LogError("The broker refused the {Status} event for {DeploymentObjectId}, dropping it: {Error}", next.Event.Status, next.Event.DeploymentObjectId, e.Message);
                Remove(next);
            }
            catch (BrokerException e)
            {
                lock (_gate)
                {
                    var index = Entries.FindIndex(x => x.Id == next.Id);
                    if (index >= 0)
                    {
                        Entries[index] = next with { Attempts = next.Attempts + 1 };
                        Save();
                    }
                }

                logger.LogWarning("Could not report {Status} for {DeploymentObjectId} ({Count} queued): {Error}", next.Event.Status, next.Event.DeploymentObjectId, Count, e.Message);
                return false;
            }
        }
    }

    private void Remove(Entry entry)
    {
        lock (_gate)
        {
            Entries.RemoveAll(e => e.Id == entry.Id);
            Save();
        }
    }

    private List<Entry> Entries
    {
        get
        {
            if (_entries is null)
            {
                try
                {
                    _entries = StateFiles.Read<List<Entry>>(Path) ?? [];
                }
                catch (Exception e) when (e is JsonException or IOException)
                {
                    logger.LogError("{Path} is unreadable ({Error}); starting with an empty report queue", Path, e.Message);
                    _entries = [];
                }
            }

            return _entries;
        }
    }

    private void Save() => StateFiles.Write(Path, Entries);
}
