using Brokkr.Contracts.Auth;
using Brokkr.Shared.Data;
using LinqToDB.Data;
using Mediator;

namespace Brokkr.Auth.Authentication;

/// <summary>Drops the identity here at once, and in every broker when the change commits.</summary>
internal sealed class InvalidateOnPakChanged(PakCache cache, BrokkrDb db) : INotificationHandler<PakChanged>
{
    public async ValueTask Handle(PakChanged notification, CancellationToken cancellationToken)
    {
        cache.Invalidate(notification.Kind, notification.OwnerId);
        await db.ExecuteAsync(
            "SELECT pg_notify(@channel, @payload)",
            cancellationToken,
            new DataParameter("channel", PakChangeListener.Channel),
            new DataParameter("payload", PakChangeListener.Payload(notification)));
    }
}
