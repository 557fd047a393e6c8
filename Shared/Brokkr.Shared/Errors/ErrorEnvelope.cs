using System.Text.Json.Serialization;

namespace Brokkr.Shared.Errors;

public sealed record ErrorEnvelope(
    string Code,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? Details = null);
