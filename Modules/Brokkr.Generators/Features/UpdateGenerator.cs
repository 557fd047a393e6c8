using Brokkr.Generators.Api;
using Brokkr.Generators.Data;
using Brokkr.Generators.Domain;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Json;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Generators.Features;

/// <summary>
/// <c>PUT /api/v1/generators/{id}</c>: the reference's full <c>Generator</c> body. Only <c>name</c>,
/// <c>description</c> and <c>is_active</c> are applied: timestamps are the server's, the PAK is never
/// touched, and <c>is_system</c> is an ownership field that cannot change (a generator could
/// otherwise make itself the system generator that every agent is registered with).
/// </summary>
public static class UpdateGenerator
{
    public sealed record Command(Caller Caller, Guid GeneratorId, Generator Body) : ICommand<Generator>;

    internal sealed class Handler(BrokkrDb db, IPublisher publisher) : ICommandHandler<Command, Generator>
    {
        public async ValueTask<Generator> Handle(Command command, CancellationToken cancellationToken)
        {
            command.Caller.RequireAdminOrGenerator(command.GeneratorId);
            var generators = db.GetTable<GeneratorRow>();
            var current = await generators.FirstOrDefaultAsync(g => g.Id == command.GeneratorId && g.DeletedAt == null, cancellationToken)
                ?? throw ApiException.NotFound("not_found", "Generator not found");

            var body = command.Body;
            if (body.IsSystem != current.IsSystem)
            {
                throw ApiException.BadRequest("immutable_field", "is_system cannot be changed",
                    new Dictionary<string, object?> { ["field"] = "is_system" });
            }

            GeneratorRules.Validate(body.Name, body.Description);
            // As in the reference (a changeset skips absent optionals), a null description keeps the stored one.
            var changed = await generators
                .Where(g => g.Id == current.Id && g.DeletedAt == null)
                .Set(g => g.Name, body.Name)
                .Set(g => g.Description, body.Description ?? current.Description)
                .Set(g => g.IsActive, body.IsActive)
                .UpdateAsync(cancellationToken);
            if (changed == 0)
            {
                throw ApiException.NotFound("not_found", "Generator not found");
            }

            var updated = await generators.FirstAsync(g => g.Id == current.Id, cancellationToken);

            await publisher.Publish(GeneratorAudit.Entry(command.Caller, "generator.updated", "generator", updated.Id,
                new Dictionary<string, object?> { ["name"] = updated.Name }), cancellationToken);
            return Generator.From(updated);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPut("/api/v1/generators/{id}", async (Guid id, Caller caller, Json<Generator> body, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Command(caller, id, body.Value), ct)))
                .Accepts<Generator>("application/json")
                .WithTags("generators")
                .WithName("update_generator")
                .WithSummary("Update a generator")
                .WithDescription("Admin or the generator itself (403 `generator_not_owned`). Takes the full `Generator` object as the reference does, but applies only "
                    + "`name`, `description` (a null or absent `description` keeps the stored one, as in the reference) and `is_active`; `id`, timestamps and `last_active_at` are ignored and the PAK is never touched. "
                    + "`is_system` is immutable: a different value is refused with 400 `immutable_field` (`details.field`). "
                    + "404 `not_found` for a missing generator; 400 `invalid_generator` for a blank or over-long name; 409 `unique_violation` for a name in use.");
    }
}
