using Brokkr.Contracts.Generators;
using Brokkr.Shared.Configuration;
using Brokkr.Shared.Data;
using Brokkr.Stacks.Data;
using Brokkr.Stacks.Domain;
using LinqToDB;
using LinqToDB.Async;
using Mediator;

namespace Brokkr.Stacks.Handlers;

/// <summary>
/// A deleted generator takes its stacks with it, each exactly as <c>DELETE /stacks/{id}</c> would,
/// so their deletion markers reach the agents; runs in the publisher's transaction.
/// </summary>
internal sealed class DeleteGeneratorStacks(BrokkrDb db, BrokkrSettings settings, IPublisher publisher) : INotificationHandler<GeneratorDeleted>
{
    public async ValueTask Handle(GeneratorDeleted notification, CancellationToken cancellationToken)
    {
        var generatorId = notification.GeneratorId;
        var stackIds = await db.GetTable<StackRow>()
            .Where(s => s.GeneratorId == generatorId && s.DeletedAt == null)
            .OrderBy(s => s.Id)
            .Select(s => s.Id)
            .ToListAsync(cancellationToken);
        foreach (var stackId in stackIds)
        {
            if (await StackDeletion.DeleteAsync(db, stackId, notification.DeletedAt, settings.Broker.AgentEventsRetentionDays, cancellationToken))
            {
                await StackEvents.StackDeletedAsync(db, publisher, stackId, cancellationToken);
            }
        }
    }
}
