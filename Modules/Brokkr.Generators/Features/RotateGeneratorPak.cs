using Brokkr.Contracts.Auth;
using Brokkr.Generators.Api;
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

/// <summary><c>POST /api/v1/generators/{id}/rotate-pak</c>: a new PAK; the old one is refused at once.</summary>
public static class RotateGeneratorPak
{
    public sealed record Command(Caller Caller, Guid GeneratorId) : ICommand<CreateGeneratorResponse>;

    internal sealed class Handler(BrokkrDb db, IPublisher publisher) : ICommandHandler<Command, CreateGeneratorResponse>
    {
        public ValueTask<CreateGeneratorResponse> Handle(Command command, CancellationToken cancellationToken)
        {
            command.Caller.RequireAdminOrGenerator(command.GeneratorId);
            return RotateAsync(db, publisher, command.Caller, command.GeneratorId, via: null, cancellationToken);
        }
    }

    /// <summary>Shared by the API and the CLI's <c>rotate generator</c>; the audit actor is the caller.</summary>
    internal static async ValueTask<CreateGeneratorResponse> RotateAsync(
        BrokkrDb db, IPublisher publisher, Caller caller, Guid generatorId, string? via, CancellationToken cancellationToken)
    {
        var generators = db.GetTable<GeneratorRow>();
        var row = await generators.FirstOrDefaultAsync(g => g.Id == generatorId && g.DeletedAt == null, cancellationToken)
            ?? throw GeneratorRules.NotFound();

        // The system generator has no PAK, so nothing can act as the tenant every agent is registered with.
        if (row.IsSystem)
        {
            throw ApiException.Forbidden("cannot_rotate_system_generator", "The system generator has no PAK");
        }

        var pak = Pak.Generate();
        var updated = await generators
            .Where(g => g.Id == row.Id && g.DeletedAt == null)
            .Set(g => g.PakHash, pak.Hash)
            .UpdateAsync(cancellationToken);
        if (updated == 0)
        {
            throw GeneratorRules.NotFound();
        }

        row = await generators.FirstAsync(g => g.Id == row.Id, cancellationToken);
        await publisher.Publish(new PakChanged(PakOwnerKind.Generator, row.Id), cancellationToken);
        await publisher.Publish(GeneratorAudit.Entry(caller, "pak.rotated", "generator", row.Id,
            new Dictionary<string, object?> { ["generator_name"] = row.Name }, via), cancellationToken);
        return new CreateGeneratorResponse(Generator.From(row), pak.Value);
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/generators/{id}/rotate-pak", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Created((string?)null, await sender.Send(new Command(caller, id), ct)))
                .WithTags("generators")
                .WithName("rotate_generator_pak")
                .WithSummary("Rotate a generator's PAK")
                .WithDescription("Admin or the generator itself (403 `generator_not_owned`), then 404 `generator_not_found`. Answers 201 `{generator, pak}`; "
                    + "the new PAK is shown only here and the old one is refused at once, in every broker. The system generator has no PAK (403 `cannot_rotate_system_generator`).");
    }
}
