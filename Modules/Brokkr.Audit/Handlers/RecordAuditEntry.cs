using System.Text.Json;
using Brokkr.Audit.Data;
using Brokkr.Contracts.Audit;
using Brokkr.Shared.Data;
using Brokkr.Shared.Json;
using LinqToDB;
using Mediator;

namespace Brokkr.Audit.Handlers;

internal sealed class RecordAuditEntry(BrokkrDb db) : INotificationHandler<AuditEntry>
{
    public async ValueTask Handle(AuditEntry entry, CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        await db.InsertAsync(new AuditLogRow
        {
            Id = Guid.NewGuid(),
            Timestamp = now,
            ActorType = entry.ActorType,
            ActorId = entry.ActorId,
            Action = entry.Action,
            ResourceType = entry.ResourceType,
            ResourceId = entry.ResourceId,
            Details = entry.Details is null ? null : JsonSerializer.Serialize(entry.Details, BrokkrJson.Options),
            IpAddress = entry.IpAddress,
            UserAgent = entry.UserAgent,
            CreatedAt = now,
        }, token: cancellationToken);
    }
}
