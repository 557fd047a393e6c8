using System.Net;
using System.Text.Json;
using Brokkr.Agent.Broker;
using Brokkr.Agent.State;
using Brokkr.Contracts.Agents;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.Reporting;

/// <summary>
/// DEPLOY events waiting for the broker: kept in <c>events.json</c> in the state directory and sent
/// oldest first until the broker accepts them, so none is lost while the broker is down or across
/// a restart. A 4xx other than 401, 403, 408 and 429 can never succeed and drops the event. Several
/// queued events go in one request to the batch route (ADR 0031); a broker without it (404, 405) gets
/// single posts, and a batch refused as a whole is sent again one by one so that only the bad event is dropped.
/// </summary>
internal sealed class EventQueue(IBrokerClient broker, string directory, TimeProvider time, ILogger<EventQueue> logger)
{
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    /// <summary>At most this many events per batch request (the broker takes up to 1000).</summary>
    public const int MaxBatch = 100;

    /// <summary>After a broker answered that it has no batch route, single posts for this long, then one more try.</summary>
    public static readonly TimeSpan BatchRetryAfter = TimeSpan.FromMinutes(10);

    internal sealed record Entry(Guid Id, NewAgentEvent Event, DateTimeOffset QueuedAt, int Attempts);

    private readonly object _gate = new();
    private readonly SemaphoreSlim _signal = new(0);
    private List<Entry>? _entries;
    private DateTimeOffset? _singlesUntil;

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

    /// <summary>The broker answered again (a heartbeat got through): send now rather than wait out the backoff.</summary>
    public void Nudge() => _signal.Release();

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
            List<Entry> chunk;
            lock (_gate)
            {
                chunk = [.. Entries.Take(BatchesAllowed ? MaxBatch : 1)];
            }

            if (chunk.Count == 0)
            {
                return true;
            }

            // One request per agent: the batch route takes one agent's events.
            chunk = [.. chunk.TakeWhile(e => e.Event.AgentId == chunk[0].Event.AgentId)];
            if (chunk.Count > 1)
            {
                switch (await SendBatchAsync(chunk, cancellationToken))
                {
                    case BatchOutcome.Sent:
                        continue;
                    case BatchOutcome.Transient:
                        return false;
                    case BatchOutcome.Refused:
                        // All or nothing refused it: one by one, so only the events that cannot succeed are dropped.
                        foreach (var entry in chunk)
                        {
                            if (!await SendOneAsync(entry, cancellationToken))
                            {
                                return false;
                            }
                        }

                        continue;
                }
            }

            if (!await SendOneAsync(chunk[0], cancellationToken))
            {
                return false;
            }
        }
    }

    private bool BatchesAllowed => _singlesUntil is not { } until || time.GetUtcNow() >= until;

    /// <summary><c>POST /agents/{id}/events/batch</c>; a broker without it (404, 405) gets single posts for a while.</summary>
    private async Task<BatchOutcome> SendBatchAsync(List<Entry> chunk, CancellationToken cancellationToken)
    {
        try
        {
            await broker.SendEventsAsync(chunk[0].Event.AgentId, [.. chunk.Select(e => e.Event)], cancellationToken);
            logger.LogInformation("Reported {Count} queued events in one request", chunk.Count);
            lock (_gate)
            {
                var sent = chunk.Select(e => e.Id).ToHashSet();
                Entries.RemoveAll(e => sent.Contains(e.Id));
                Save();
            }

            return BatchOutcome.Sent;
        }
        catch (BrokerException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            _singlesUntil = time.GetUtcNow() + BatchRetryAfter;
            logger.LogInformation("The broker has no batch route for events ({Status}); sending them one by one", (int)e.StatusCode!);
            return BatchOutcome.Unsupported;
        }
        catch (BrokerException e) when (!e.IsTransient)
        {
            logger.LogWarning("The broker refused a batch of {Count} events ({Error}); sending them one by one", chunk.Count, e.Message);
            return BatchOutcome.Refused;
        }
        catch (BrokerException e)
        {
            CountAttempt(chunk[0]);
            logger.LogWarning("Could not report {Count} queued events: {Error}", chunk.Count, e.Message);
            return BatchOutcome.Transient;
        }
    }

    /// <summary>The single route; false when the broker could not take it now (the event stays queued).</summary>
    private async Task<bool> SendOneAsync(Entry next, CancellationToken cancellationToken)
    {
        try
        {
            await broker.SendEventAsync(next.Event.AgentId, next.Event, cancellationToken);
            logger.LogInformation("Reported {Status} for deployment object {DeploymentObjectId}", next.Event.Status, next.Event.DeploymentObjectId);
            Remove(next);
            return true;
        }
        catch (BrokerException e) when (!e.IsTransient)
        {
            logger.LogError("The broker refused the {Status} event for {DeploymentObjectId}, dropping it: {Error}", next.Event.Status, next.Event.DeploymentObjectId, e.Message);
            Remove(next);
            return true;
        }
        catch (BrokerException e)
        {
            CountAttempt(next);
            logger.LogWarning("Could not report {Status} for {DeploymentObjectId} ({Count} queued): {Error}", next.Event.Status, next.Event.DeploymentObjectId, Count, e.Message);
            return false;
        }
    }

    private void CountAttempt(Entry entry)
    {
        lock (_gate)
        {
            var index = Entries.FindIndex(x => x.Id == entry.Id);
            if (index >= 0)
            {
                Entries[index] = entry with { Attempts = entry.Attempts + 1 };
                Save();
            }
        }
    }

    private enum BatchOutcome
    {
        Sent,
        Unsupported,
        Refused,
        Transient,
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
