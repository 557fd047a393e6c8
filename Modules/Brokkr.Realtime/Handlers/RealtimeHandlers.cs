using Brokkr.Contracts.Auth;
using Brokkr.Contracts.Realtime;
using Brokkr.Realtime.Bus;
using Brokkr.Realtime.Channel;
using Brokkr.Realtime.Live;
using Brokkr.Shared.Data;
using Mediator;

namespace Brokkr.Realtime.Handlers;

/// <summary>
/// Published inside the changing transaction: the NOTIFY is part of it, so the frame leaves after
/// the commit (and never for a rollback), and every replica hands it to the listed agents it holds.
/// </summary>
internal sealed class PushToAgentsHandler(RealtimeBus bus, BrokkrDb db) : INotificationHandler<PushToAgents>
{
    public async ValueTask Handle(PushToAgents notification, CancellationToken cancellationToken)
    {
        if (notification.AgentIds.Count == 0)
        {
            return;
        }

        var frame = OutboundFrame.Create(notification.Type, notification.Body);
        await bus.PublishAsync(db, BusMessages.PushPayload(notification.AgentIds.Distinct(), frame), cancellationToken);
    }
}

/// <summary>A REST heartbeat: fleet subscribers on every replica get the agent's record; nothing at all when nobody subscribes.</summary>
internal sealed class AgentFleetChangedHandler(FleetBroadcaster fleet, ISender sender, BrokkrDb db) : INotificationHandler<AgentFleetChanged>
{
    public async ValueTask Handle(AgentFleetChanged notification, CancellationToken cancellationToken)
    {
        if (fleet.Wanted)
        {
            await fleet.BroadcastAsync(sender, db, notification.AgentId, cancellationToken);
        }
    }
}

/// <summary>An agent's PAK was rotated or the agent deleted: on commit, whichever replica holds its socket closes it.</summary>
internal sealed class CloseSocketOnPakChanged(RealtimeBus bus, BrokkrDb db) : INotificationHandler<PakChanged>
{
    public async ValueTask Handle(PakChanged notification, CancellationToken cancellationToken)
    {
        if (notification is { Kind: PakOwnerKind.Agent, OwnerId: { } agentId })
        {
            await bus.PublishAsync(db, BusMessages.RevokePayload(agentId), cancellationToken);
        }
    }
}
