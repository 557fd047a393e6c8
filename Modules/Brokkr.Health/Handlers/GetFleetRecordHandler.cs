using Brokkr.Contracts.Fleet;
using Brokkr.Health.Domain;
using Mediator;

namespace Brokkr.Health.Handlers;

/// <summary>One agent's record for pushes (the WebSocket <c>fleet_update</c> frame), the same as <c>GET /fleet</c> shows.</summary>
internal sealed class GetFleetRecordHandler(FleetReader reader) : IQueryHandler<GetFleetRecord, FleetAgentRecord?>
{
    public async ValueTask<FleetAgentRecord?> Handle(GetFleetRecord query, CancellationToken cancellationToken)
    {
        var records = await reader.ReadAsync(FleetScope.Agent(query.AgentId), cancellationToken);
        return records.Count == 0 ? null : records[0];
    }
}
