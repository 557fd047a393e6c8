using Brokkr.Generators.Data;
using Brokkr.Shared.Data;
using LinqToDB;
using LinqToDB.Async;
using Mediator;

namespace Brokkr.Generators.Features;

internal sealed class LinkAdminGeneratorHandler(BrokkrDb db) : ICommandHandler<Contracts.Generators.LinkAdminGenerator>
{
    public const string Name = "admin-generator";

    public async ValueTask<Unit> Handle(Contracts.Generators.LinkAdminGenerator command, CancellationToken cancellationToken)
    {
        var generators = db.GetTable<GeneratorRow>();
        var updated = await generators
            .Where(g => g.Name == Name && g.DeletedAt == null)
            .Set(g => g.PakHash, command.PakHash)
            .UpdateAsync(cancellationToken);
        if (updated == 0)
        {
            await generators.InsertAsync(() => new GeneratorRow
            {
                Id = Guid.CreateVersion7(),
                Name = Name,
                Description = "Linked to Admin PAK",
                PakHash = command.PakHash,
                IsActive = true,
                IsSystem = false,
            }, cancellationToken);
        }

        return Unit.Value;
    }
}
