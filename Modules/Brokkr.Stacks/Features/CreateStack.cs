using Brokkr.Contracts.Audit;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Json;
using Brokkr.Stacks.Api;
using Brokkr.Stacks.Data;
using Brokkr.Stacks.Domain;
using Carter;
using FluentValidation;
using FluentValidation.Results;
using LinqToDB;
using LinqToDB.Async;
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
            RuleFor(c => c.Body).Custom((body, context) =>
            {
                if ((StackFields.NameProblem(body.Name) ?? StackFields.DescriptionProblem(body.Description)) is { } problem)
                {
                    context.AddFailure(new ValidationFailure("body", problem) { ErrorCode = "invalid_stack" });
                }
            });
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

            // A soft-deleted generator still satisfies the foreign key; refuse it the same way (after
            // the insert, so a name clash is still 409 first), or the stack would outlive the cascade
            // that deleted the generator's other stacks.
            if (!await db.GetTable<GeneratorView>().AnyAsync(g => g.Id == row.GeneratorId && g.DeletedAt == null, cancellationToken))
            {
                throw ApiException.Unprocessable("foreign_key_violation", "A referenced record does not exist",
                    new Dictionary<string, object?> { ["constraint"] = "stacks_generator_id_fkey" });
            }

            await publisher.Publish(new AuditEntry(command.Caller.ActorType, command.Caller.ActorId, "stack.created", "stack", row.Id,
                new Dictionary<string, object?> { ["name"] = row.Name, ["generator_id"] = row.GeneratorId }), cancellationToken);
            await StackEvents.StackCreatedAsync(publisher, row, cancellationToken);
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
                .WithDescription("Admin for any generator; a generator PAK only with its own `generator_id` (403 `stack_generator_mismatch`); agents are refused (403 `stack_create_denied`). Names are 1 to 255 characters and unique among live stacks (409 `unique_violation`); an unknown generator is 422 `foreign_key_violation`.");
    }
}
