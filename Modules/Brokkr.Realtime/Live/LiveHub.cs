using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net.WebSockets;
using Brokkr.Realtime.Bus;
using Brokkr.Realtime.Channel;

namespace Brokkr.Realtime.Live;

/// <summary>
/// This replica's live subscribers: per stack, and for the fleet. Publishing here reaches only
/// local subscribers; frames from other replicas arrive through the bus. Every change of who
/// listens rings <see cref="PresenceChanged"/> so other replicas learn of it.
/// </summary>
internal sealed class LiveHub
{
    private readonly ConcurrentDictionary<Guid, ImmutableArray<LiveSubscriber>> _stacks = new();
    private readonly Lock _gate = new();
    private ImmutableArray<LiveSubscriber> _fleet = [];
    private int _stackSubscribers;

    public event Action? PresenceChanged;

    public int FleetSubscribers => _fleet.Length;

    public int StackSubscribers => Volatile.Read(ref _stackSubscribers);

    public Presence Presence
    {
        get
        {
            lock (_gate)
            {
                return new Presence(_fleet.Length, _stackSubscribers, [.. _stacks.Keys]);
            }
        }
    }

    public bool HasStackSubscribers(Guid stackId) => _stacks.ContainsKey(stackId);

    public void Add(LiveSubscriber subscriber)
    {
        lock (_gate)
        {
            if (subscriber.StackId is { } stackId)
            {
                _stacks[stackId] = _stacks.TryGetValue(stackId, out var list) ? list.Add(subscriber) : [subscriber];
                _stackSubscribers++;
                RealtimeMetrics.LiveSubscribers.Inc();
            }
            else
            {
                _fleet = _fleet.Add(subscriber);
                RealtimeMetrics.FleetSubscribers.Inc();
            }
        }

        PresenceChanged?.Invoke();
    }

    public void Remove(LiveSubscriber subscriber)
    {
        lock (_gate)
        {
            if (subscriber.StackId is { } stackId)
            {
                if (!_stacks.TryGetValue(stackId, out var list) || !list.Contains(subscriber))
                {
                    return;
                }

                list = list.Remove(subscriber);
                if (list.IsEmpty)
                {
                    _stacks.TryRemove(stackId, out _);
                }
                else
                {
                    _stacks[stackId] = list;
                }

                _stackSubscribers--;
                RealtimeMetrics.LiveSubscribers.Dec();
            }
            else
            {
                if (!_fleet.Contains(subscriber))
                {
                    return;
                }

                _fleet = _fleet.Remove(subscriber);
                RealtimeMetrics.FleetSubscribers.Dec();
            }
        }

        PresenceChanged?.Invoke();
    }

    public void PublishStack(Guid stackId, OutboundFrame frame)
    {
        if (_stacks.TryGetValue(stackId, out var subscribers))
        {
            foreach (var subscriber in subscribers)
            {
                subscriber.Offer(frame);
            }
        }
    }

    public void PublishFleet(OutboundFrame frame)
    {
        foreach (var subscriber in _fleet)
        {
            subscriber.Offer(frame);
        }
    }

    public void CloseAll(WebSocketCloseStatus status, string reason)
    {
        foreach (var subscriber in _fleet.Concat(_stacks.Values.SelectMany(s => s)))
        {
            subscriber.Session?.RequestClose(status, reason);
        }
    }
}
