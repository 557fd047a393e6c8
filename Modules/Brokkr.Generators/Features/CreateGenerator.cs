using Brokkr.Generators.Api;
using Brokkr.Generators.Data;
using Brokkr.Generators.Domain;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Json;
using Carter;
using LinqToDB;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Generators.Features;

/// <summary><c>POST /api/v1/generators</c>: a new tenant and its PAK, shown once.</summary>
public static class CreateGenerator
{
    public sealed record NewGenerator(string Name, string? Description = null);

    public sealed record Command(Caller Caller, NewGenerator Body) : ICommand<CreateGeneratorResponse>;

    internal sealed class Handler(BrokkrDb db, IPublisher publisher) : ICommandHandler<Command, CreateGeneratorResponse>
    {
        public ValueTask<CreateGeneratorResponse> Handle(Command command, CancellationToken cancellationToken)
            => CreateAsync(db, publisher, command.Body.Name, command.Body.Description, via: null, cancellationToken);
    }

    /// <summary>Shared by the API and the CLI's <c>create generator</c>; only admin creates generators.</summary>
    internal static async ValueTask<CreateGeneratorResponse> CreateAsync(
        BrokkrDb db, IPublisher publisher, string name, string? description, string? via, CancellationToken cancellationToken)
    {
        GeneratorRules.Validate(name, description);
        var pak = Pak.Generate();
        var row = await db.GetTable<GeneratorRow>().InsertWithOutputAsync(new GeneratorRow
        {
            Id = Guid.CreateVersion7(),
            Name = name,
            Description = description,
            PakHash = pak.Hash,
            IsActive = true,
            IsSystem = false,
        }, token: cancellationToken);
        await publisher.Publish(GeneratorAudit.Entry(Caller.Admin, "generator.created", "generator", row.Id,
            new Dictionary<string, object?> { ["name"] = row.Name }, via), cancellationToken);
        await publisher.Publish(GeneratorAudit.Entry(Caller.Admin, "pak.created", "pak", row.Id,
            new Dictionary<string, object?> { ["entity"] = "generator", ["name"] = row.Name }, via), cancellationToken);
        return new CreateGeneratorResponse(Generator.From(row), pak.Value);
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/generators", async (Caller caller, Json<NewGenerator> body, ISender sender, CancellationToken ct) =>
                {
                    caller.RequireAdmin();
                    return TypedResults.Created((string?)null, await sender.Send(new Command(caller, body.Value), ct));
                })
                .Accepts<NewGenerator>("application/json")
                .WithTags("generators")
                .WithName("create_generator")
                .WithSummary("Create a generator")
                .WithDescription("Admin only. Creates a generator (a tenant that owns stacks and templates) and returns its PAK, shown only here. "
                    + "A blank name or one over 255 characters is refused with 400 `invalid_generator`; a name already used by a live generator with 409 `unique_violation` (`unique_generator_name`).");
    }
}
