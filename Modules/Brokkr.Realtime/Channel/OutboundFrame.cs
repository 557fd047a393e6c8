using System.Buffers;
using System.Text.Json;
using Brokkr.Contracts.Realtime;
using Brokkr.Shared.Json;

namespace Brokkr.Realtime.Channel;

/// <summary>One text frame <c>{"type", "body"}</c>, serialized once and sent as is to every recipient.</summary>
internal sealed record OutboundFrame(string Type, ReadOnlyMemory<byte> Utf8)
{
    /// <summary>Pushes the agent must not miss behind a burst of telemetry go through the control lane.</summary>
    public bool IsControl => Type is WireMessageTypes.WorkOrder or WireMessageTypes.TargetChanged or WireMessageTypes.StackChanged;

    /// <summary>The frame for a body of any type, serialized with the broker's JSON rules.</summary>
    public static OutboundFrame Create(string type, object body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = BrokkrJson.Options.Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WritePropertyName("body");
            JsonSerializer.Serialize(writer, body, body.GetType(), BrokkrJson.Options);
            writer.WriteEndObject();
        }

        return new OutboundFrame(type, buffer.WrittenMemory.ToArray());
    }

    /// <summary>A frame received from another replica: its raw JSON, whose type is read from it.</summary>
    public static OutboundFrame FromRaw(JsonElement frame)
        => new(frame.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString()! : string.Empty,
            JsonSerializer.SerializeToUtf8Bytes(frame));
}
