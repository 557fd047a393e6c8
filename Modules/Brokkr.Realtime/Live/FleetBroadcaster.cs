using Brokkr.Contracts.Fleet;
using Brokkr.Contracts.Realtime;
using Brokkr.Realtime.Bus;
using Brokkr.Realtime.Channel;
using Brokkr.Realtime.Cluster;
using Brokkr.Shared.Data;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Brokkr.Realtime.Live;

/// <summary>
/// Sends an agent's fresh fleet record to the fleet live subscribers of every replica. When no
/// replica has a fleet subscriber (known from memory), it costs nothing: no query, no NOTIFY.
/// </summary>
internal sealed class FleetBroadcaster(LiveHub hub, ClusterState cluster, RealtimeBus bus, IServiceScopeFactory scopes, ILogger<FleetBroadcaster> logger)
{
    public bool Wanted => hub.FleetSubscribers > 0 || cluster.AnyRemoteFleetSubscribers;

    /// <summary>In the caller's scope: inside its transaction the record is read there and leaves on commit.</summary>
    public async Task BroadcastAsync(ISender sender, BrokkrDb db, Guid agentId, CancellationToken cancellationToken)
    {
        if (!Wanted)
        {
            return;
        }

        var record = await sender.Send(new GetFleetRecord(agentId), cancellationToken);
        if (record is not null)
        {
            await bus.PublishAsync(db, BusMessages.FleetPayload(OutboundFrame.Create(WireMessageTypes.FleetUpdate, record)), cancellationToken);
        }
    }

    /// <summary>For a socket that opened or closed: a scope of its own; a failure is only logged.</summary>
    public async Task BroadcastDetachedAsync(Guid agentId)
    {
        if (!Wanted)
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await BroadcastAsync(scope.ServiceProvider.GetRequiredService<ISender>(), scope.ServiceProvider.GetRequiredService<BrokkrDb>(), agentId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning("Fleet update for agent {AgentId} not broadcast: {Error}", agentId, ex.Message);
        }
    }
}
