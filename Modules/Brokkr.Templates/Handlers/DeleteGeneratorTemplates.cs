using Brokkr.Contracts.Generators;
using Brokkr.Shared.Data;
using Brokkr.Templates.Data;
using LinqToDB;
using LinqToDB.Async;
using Mediator;

namespace Brokkr.Templates.Handlers;

/// <summary>A deleted generator's templates are soft-deleted with it, at the same instant, in the publisher's transaction.</summary>
internal sealed class DeleteGeneratorTemplates(BrokkrDb db) : INotificationHandler<GeneratorDeleted>
{
    public async ValueTask Handle(GeneratorDeleted notification, CancellationToken cancellationToken)
    {
        var generatorId = notification.GeneratorId;
        await db.GetTable<StackTemplateRow>()
            .Where(t => t.GeneratorId == generatorId && t.DeletedAt == null)
            .Set(t => t.DeletedAt, notification.DeletedAt)
            .UpdateAsync(cancellationToken);
    }
}
