using Brokkr.Contracts.Auth;
using Brokkr.Contracts.Generators;
using Brokkr.Generators.Data;
using Brokkr.Generators.Domain;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Generators.Features;

/// <summary>
/// <c>DELETE /api/v1/generators/{id}</c>: a soft delete. Its stacks and templates follow through
/// <see cref="GeneratorDeleted"/>, and its PAK stops working at once. The admin PAK does not depend on
/// <c>admin-generator</c>: admin is resolved from <c>admin_role</c> first.
/// </summary>
public static class DeleteGenerator
{
    public sealed record Command(Caller Caller, Guid GeneratorId) : ICommand;

    internal sealed class Handler(BrokkrDb db, IPublisher publisher) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            command.Caller.RequireAdminOrGenerator(command.GeneratorId);
            var generators = db.GetTable<GeneratorRow>();
            var row = await generators.FirstOrDefaultAsync(g => g.Id == command.GeneratorId && g.DeletedAt == null, cancellationToken)
                ?? throw GeneratorRules.NotFound();
            if (row.IsSystem)
            {
                throw ApiException.Forbidden("cannot_delete_system_generator", "The system generator cannot be deleted");
            }

            var now = DateTime.UtcNow;
            var deletedAt = new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
            var deleted = await generators
                .Where(g => g.Id == row.Id && g.DeletedAt == null)
                .Set(g => g.DeletedAt, deletedAt)
                .UpdateAsync(cancellationToken);
            if (deleted == 0)
            {
                throw GeneratorRules.NotFound();
            }

            await publisher.Publish(new GeneratorDeleted(row.Id, deletedAt), cancellationToken);
            await publisher.Publish(new PakChanged(PakOwnerKind.Generator, row.Id), cancellationToken);
            await publisher.Publish(GeneratorAudit.Entry(command.Caller, "generator.deleted", "generator", row.Id), cancellationToken);
            return Unit.Value;
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapDelete("/api/v1/generators/{id}", async (Guid id, Caller caller, ISender sender, CancellationToken ct) =>
                {
                    await sender.Send(new Command(caller, id), ct);
                    return TypedResults.NoContent();
                })
                .WithTags("generators")
                .WithName("delete_generator")
                .WithSummary("Delete a generator")
                .WithDescription("Admin or the generator itself (403 `generator_not_owned`), then 404 `generator_not_found`; the system generator cannot be deleted "
                    + "(403 `cannot_delete_system_generator`). A soft delete: the generator's stacks are deleted too (each with a deletion marker), and its PAK stops working at once.");
    }
}
