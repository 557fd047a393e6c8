using Brokkr.Contracts.Fleet;
using Brokkr.Health.Domain;
using Brokkr.Shared.Http;
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

/// <summary>Every live agent's record in one statement, as <c>GET /fleet</c> without a tenant reads them.</summary>
internal sealed class ListFleetRecordsHandler(FleetReader reader) : IQueryHandler<ListFleetRecords, IReadOnlyList<FleetAgentRecord>>
{
    public async ValueTask<IReadOnlyList<FleetAgentRecord>> Handle(ListFleetRecords query, CancellationToken cancellationToken)
        => await reader.ReadAsync(new FleetScope(null, null, Paging.All), cancellationToken);
}
