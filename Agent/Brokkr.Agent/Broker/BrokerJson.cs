using System.Text.Json;
using System.Text.Json.Serialization;

namespace Brokkr.Agent.Broker;

/// <summary>The broker's wire format: snake_case, case-sensitive names, nulls written.</summary>
internal static class BrokerJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = false,
    };
}
