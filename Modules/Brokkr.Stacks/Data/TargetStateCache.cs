using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Brokkr.Contracts.Stacks;
using Brokkr.Shared.Configuration;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Brokkr.Stacks.Data;

/// <summary>
/// Target-state answers by agent, so that an unchanged poll never reaches the database (ADR 0033).
/// Every change to an input of the query drops the entries it may affect (<see cref="TargetStateSignals"/>);
/// an answer read while such a change was under way is not kept, which the ticket taken before the
/// read decides. Deployment-object JSON is serialized once and shared by every agent offered it (a
/// revision is immutable; its soft deletion changes the table, which drops everything).
/// The cache only answers while the signals are being received (<see cref="Online"/>).
/// </summary>
internal sealed class TargetStateCache
{
    private const int VariantsPerAgent = 4;

    private readonly TimeSpan _ttl;
    private readonly long _byteBudget;
    private readonly JsonSerializerOptions _json;
    private volatile Generation _current = new();
    private volatile bool _online;

    public TargetStateCache(BrokkrSettings settings, IOptions<JsonOptions> json)
    {
        _ttl = TimeSpan.FromSeconds(Math.Max(0, settings.Broker.TargetStateCacheSeconds));
        _byteBudget = Math.Max(0, (long)settings.Broker.TargetStateCacheMegabytes) * 1024 * 1024;
        _json = json.Value.SerializerOptions;
    }

    public bool Enabled => _ttl > TimeSpan.Zero;

    /// <summary>True while changes are known to reach this broker; everything cached before is dropped when it turns.</summary>
    public bool Online
    {
        get => _online;
        set
        {
            _online = value;
            InvalidateAll();
        }
    }

    /// <summary>Whether an agent has been cached or dropped since everything was last dropped.</summary>
    public bool Tracks(Guid agentId) => _current.Slots.ContainsKey(agentId);

    public long ObjectBytes => Interlocked.Read(ref _current.Bytes);

    public bool TryGet(TargetStateRequest request, out CachedTargetState state)
    {
        state = null!;
        if (!_online || !Enabled || !_current.Slots.TryGetValue(request.AgentId, out var slot))
        {
            return false;
        }

        foreach (var variant in slot.Variants)
        {
            if (variant.State.Scope == request.Scope && Stopwatch.GetElapsedTime(variant.StoredAt) <= _ttl)
            {
                state = variant.State;
                return true;
            }
        }

        return false;
    }

    /// <summary>Taken before reading the database: a store with it is dropped if anything changed for the agent since.</summary>
    public Ticket Begin(Guid agentId)
    {
        var generation = _current;
        return new Ticket(generation, agentId, generation.Slots.TryGetValue(agentId, out var slot) ? slot.Version : 0);
    }

    /// <summary>
    /// Keeps an answer; <paramref name="objects"/> null keeps the tag alone (the client's copy was current).
    /// <paramref name="refresh"/> (a client's <c>no-cache</c>) replaces the objects' shared JSON too.
    /// </summary>
    public CachedTargetState Store(Ticket ticket, string scope, string etag, IReadOnlyList<DeploymentObject>? objects, bool refresh = false)
    {
        var generation = ticket.Generation;
        var (parts, withinBudget) = objects is null ? (null, true) : Serialize(generation, objects, refresh);
        var state = new CachedTargetState(scope, etag, parts);
        if (!_online || !Enabled || !ReferenceEquals(generation, _current))
        {
            return state;
        }

        var variant = new Variant(withinBudget ? state : state with { Objects = null }, Stopwatch.GetTimestamp());
        while (true)
        {
            if (!generation.Slots.TryGetValue(ticket.AgentId, out var slot))
            {
                if (ticket.Version != 0 || generation.Slots.TryAdd(ticket.AgentId, new Slot(0, [variant])))
                {
                    return state;
                }

                continue;
            }

            if (slot.Version != ticket.Version || generation.Slots.TryUpdate(ticket.AgentId, slot.With(variant), slot))
            {
                return state;
            }
        }
    }

    public void Invalidate(Guid agentId)
        => _current.Slots.AddOrUpdate(agentId, static _ => new Slot(1, []), static (_, slot) => new Slot(slot.Version + 1, []));

    public void InvalidateAll() => _current = new Generation();

    /// <summary>Each object's JSON, shared when known; false when the budget is spent (the tag alone is then kept).</summary>
    private (byte[][] Parts, bool WithinBudget) Serialize(Generation generation, IReadOnlyList<DeploymentObject> objects, bool refresh)
    {
        var parts = new byte[objects.Count][];
        var withinBudget = true;
        for (var i = 0; i < objects.Count; i++)
        {
            var item = objects[i];
            if (generation.Objects.TryGetValue(item.Id, out var known) && !refresh)
            {
                parts[i] = known;
                continue;
            }

            parts[i] = JsonSerializer.SerializeToUtf8Bytes(item, _json);
            if (known is not null)
            {
                generation.Objects[item.Id] = parts[i];
                Interlocked.Add(ref generation.Bytes, parts[i].Length - known.Length);
            }
            else if (Interlocked.Add(ref generation.Bytes, parts[i].Length) <= _byteBudget)
            {
                parts[i] = generation.Objects.GetOrAdd(item.Id, parts[i]);
            }
            else
            {
                Interlocked.Add(ref generation.Bytes, -parts[i].Length);
                withinBudget = false;
            }
        }

        return (parts, withinBudget);
    }

    internal readonly record struct Ticket(Generation Generation, Guid AgentId, long Version);

    /// <summary>Everything cached since the last invalidation of all agents; replaced, never cleared, so late stores land in the old one.</summary>
    internal sealed class Generation
    {
        public readonly ConcurrentDictionary<Guid, Slot> Slots = new();
        public readonly ConcurrentDictionary<Guid, byte[]> Objects = new();
        public long Bytes;
    }

    /// <summary>A class, not a record: replacing a slot compares references.</summary>
    internal sealed class Slot(long version, Variant[] variants)
    {
        public long Version { get; } = version;

        public Variant[] Variants { get; } = variants;

        public Slot With(Variant variant)
            => new(Version, [variant, .. Variants.Where(v => v.State.Scope != variant.State.Scope).Take(VariantsPerAgent - 1)]);
    }

    internal sealed record Variant(CachedTargetState State, long StoredAt);
}

/// <summary>An answer: the tag (unquoted) and, unless only the tag is known, each object's JSON.</summary>
internal sealed record CachedTargetState(string Scope, string ETag, byte[][]? Objects);
