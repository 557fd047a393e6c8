using Brokkr.Contracts.Audit;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Json;
using Brokkr.Stacks.Api;
using Brokkr.Stacks.Data;
using Carter;
using FluentValidation;
using LinqToDB;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Stacks.Features;

/// <summary><c>POST /api/v1/stacks</c>: admin for any generator, a generator for itself.</summary>
public static class CreateStack
{
    public sealed record NewStack(string Name, Guid GeneratorId, string? Description = null);

    public sealed record Command(Caller Caller, NewStack Body) : ICommand<Stack>;

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Body.Name).Must(n => !string.IsNullOrWhiteSpace(n)).WithErrorCode("invalid_stack").WithMessage("Stack name must not be blank")
                .MaximumLength(255).WithErrorCode("invalid_stack").WithMessage("Stack name must be at most 255 characters");
            RuleFor(c => c.Body.Description).MaximumLength(4096).WithErrorCode("invalid_stack").WithMessage("Description must be at most 4096 characters");
        }
    }

    internal sealed class Handler(BrokkrDb db, IPublisher publisher) : ICommandHandler<Command, Stack>
    {
        public async ValueTask<Stack> Handle(Command command, CancellationToken cancellationToken)
        {
            var row = await db.GetTable<StackRow>().InsertWithOutputAsync(new StackRow
            {
                Id = Guid.CreateVersion7(),
                Name = command.Body.Name,
                Description = command.Body.Description,
                GeneratorId = command.Body.GeneratorId,
            }, token: cancellationToken);
            await publisher.Publish(AuditActor.Entry(command.Caller, "stack.created", "stack", row.Id,
                new Dictionary<string, object?> { ["name"] = row.Name, ["generator_id"] = row.GeneratorId }), cancellationToken);
            return Stack.From(row);
        }
    }

    internal static void Authorize(Caller caller, Guid generatorId)
    {
        if (caller.IsAgent)
        {
            throw ApiException.Forbidden("stack_create_denied", "Agents cannot create stacks");
        }

        if (caller.IsGenerator && caller.Id != generatorId)
        {
            throw ApiException.Forbidden("stack_generator_mismatch", "A generator can only create stacks for itself");
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/stacks", async (Caller caller, Json<NewStack> body, ISender sender, CancellationToken ct) =>
                {
                    Authorize(caller, body.Value.GeneratorId);
                    return TypedResults.Created((string?)null, await sender.Send(new Command(caller, body.Value), ct));
                })
                .Accepts<NewStack>("application/json")
                .WithTags("stacks")
                .WithName("create_stack")
                .WithSummary("Create a stack")
                .WithDescription("Admin for any generator; a generator PAK only with its own `generator_id`. Stack names are unique among live stacks.");
    }
}

/// <summary>Audit entries name the real caller (the reference records generator actions as admin).</summary>
internal static class AuditActor
{
    public static AuditEntry Entry(Caller caller, string action, string resourceType, Guid? resourceId, IReadOnlyDictionary<string, object?>? details = null)
        => new(caller.Kind switch { CallerKind.Agent => "agent", CallerKind.Generator => "generator", _ => "admin" },
            caller.IsAdmin ? null : caller.Id, action, resourceType, resourceId, details);
}
