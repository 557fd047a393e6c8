using System.Buffers;
using System.Text;
using System.Text.Json;
using Brokkr.Realtime.Channel;

namespace Brokkr.Realtime.Bus;

/// <summary>
/// The messages replicas exchange on the <see cref="RealtimeBus.Channel"/> channel, as compact JSON
/// objects with a kind <c>k</c>. Frames ride inside as raw JSON (<c>f</c>), so a replica forwards
/// them without knowing their bodies. <c>src</c> is the sending replica where the receiver needs it.
/// </summary>
internal static class BusMessages
{
    /// <summary><c>{k, agents, f}</c>: deliver frame f to these agents' sockets, wherever they are held.</summary>
    public const string Push = "push";

    /// <summary><c>{k, agent}</c>: the agent's PAK was rotated or the agent deleted; close its socket.</summary>
    public const string Revoke = "revoke";

    /// <summary><c>{k, src, agent, connection, since}</c>: replica src now holds the agent's socket (written by SQL).</summary>
    public const string Connected = "conn";

    /// <summary><c>{k, src, agent, connection}</c>: that socket closed.</summary>
    public const string Disconnected = "disc";

    /// <summary><c>{k, f}</c>: a <c>fleet_update</c> frame for every fleet live subscriber.</summary>
    public const string Fleet = "fleet";

    /// <summary><c>{k, src, items: [{s, f}]}</c>: telemetry frames for stack live subscribers of other replicas.</summary>
    public const string Stack = "stack";

    /// <summary><c>{k, src, fleet, subs, stacks}</c>: what replica src's live subscribers listen to now.</summary>
    public const string Presence = "presence";

    public static string PushPayload(IEnumerable<Guid> agents, OutboundFrame frame) => Write(w =>
    {
        w.WriteString("k", Push);
        w.WriteStartArray("agents");
        foreach (var agent in agents)
        {
            w.WriteStringValue(agent);
        }

        w.WriteEndArray();
        w.WritePropertyName("f");
        w.WriteRawValue(frame.Utf8.Span, skipInputValidation: true);
    });

    public static string RevokePayload(Guid agent) => Write(w =>
    {
        w.WriteString("k", Revoke);
        w.WriteString("agent", agent);
    });

    public static string DisconnectedPayload(Guid replica, Guid agent, Guid connection) => Write(w =>
    {
        w.WriteString("k", Disconnected);
        w.WriteString("src", replica);
        w.WriteString("agent", agent);
        w.WriteString("connection", connection);
    });

    public static string FleetPayload(OutboundFrame frame) => Write(w =>
    {
        w.WriteString("k", Fleet);
        w.WritePropertyName("f");
        w.WriteRawValue(frame.Utf8.Span, skipInputValidation: true);
    });

    public static string PresencePayload(Guid replica, Presence presence) => Write(w =>
    {
        w.WriteString("k", Presence);
        w.WriteString("src", replica);
        w.WriteNumber("fleet", presence.FleetSubscribers);
        w.WriteNumber("subs", presence.StackSubscribers);
        w.WriteStartArray("stacks");
        foreach (var stack in presence.Stacks)
        {
            w.WriteStringValue(stack);
        }

        w.WriteEndArray();
    });

    /// <summary>Telemetry frames packed into as few payloads as fit a NOTIFY; a frame too large alone gets a payload of its own.</summary>
    public static List<string> StackPayloads(Guid replica, IReadOnlyList<(Guid Stack, OutboundFrame Frame)> items)
    {
        const int itemOverhead = 64;
        var payloads = new List<string>();
        var start = 0;
        while (start < items.Count)
        {
            var end = start;
            var size = 128;
            do
            {
                size += items[end].Frame.Utf8.Length + itemOverhead;
                end++;
            }
            while (end < items.Count && size + items[end].Frame.Utf8.Length + itemOverhead <= RealtimeBus.MaxNotifyBytes);

            var from = start;
            var to = end;
            payloads.Add(Write(w =>
            {
                w.WriteString("k", Stack);
                w.WriteString("src", replica);
                w.WriteStartArray("items");
                for (var i = from; i < to; i++)
                {
                    w.WriteStartObject();
                    w.WriteString("s", items[i].Stack);
                    w.WritePropertyName("f");
                    w.WriteRawValue(items[i].Frame.Utf8.Span, skipInputValidation: true);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }));
            start = end;
        }

        return payloads;
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

/// <summary>What one replica's live subscribers listen to.</summary>
internal sealed record Presence(int FleetSubscribers, int StackSubscribers, IReadOnlyCollection<Guid> Stacks)
{
    public static readonly Presence None = new(0, 0, []);
}
