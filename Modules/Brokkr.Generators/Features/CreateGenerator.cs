using Brokkr.Contracts.Audit;
using Brokkr.Generators.Api;
using Brokkr.Generators.Data;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Json;
using Carter;
using FluentValidation;
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

    public sealed record CreateGeneratorResponse(Generator Generator, string Pak);

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Body.Name).Must(n => !string.IsNullOrWhiteSpace(n)).WithErrorCode("invalid_generator").WithMessage("Generator name must not be blank")
                .MaximumLength(255).WithErrorCode("invalid_generator").WithMessage("Generator name must be at most 255 characters");
            RuleFor(c => c.Body.Description).MaximumLength(4096).WithErrorCode("invalid_generator").WithMessage("Description must be at most 4096 characters");
        }
    }

    internal sealed class Handler(BrokkrDb db, IPublisher publisher) : ICommandHandler<Command, CreateGeneratorResponse>
    {
        public async ValueTask<CreateGeneratorResponse> Handle(Command command, CancellationToken cancellationToken)
        {
            var pak = Pak.Generate();
            var row = new GeneratorRow
            {
                Id = Guid.CreateVersion7(),
                Name = command.Body.Name,
                Description = command.Body.Description,
                PakHash = pak.Hash,
                IsActive = true,
                IsSystem = false,
            };
            row = await db.GetTable<GeneratorRow>().InsertWithOutputAsync(row, token: cancellationToken);
            var details = new Dictionary<string, object?> { ["name"] = row.Name };
            await publisher.Publish(new AuditEntry("admin", null, "generator.created", "generator", row.Id, details), cancellationToken);
            await publisher.Publish(new AuditEntry("admin", null, "pak.created", "pak", row.Id,
                new Dictionary<string, object?> { ["entity"] = "generator", ["name"] = row.Name }), cancellationToken);
            return new CreateGeneratorResponse(Generator.From(row), pak.Value);
        }
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
                .WithDescription("Admin only. Creates a generator (a tenant that owns stacks and templates) and returns its PAK, shown only here.");
    }
}
