using Brokkr.Contracts.Audit;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Json;
using Brokkr.Shared.Text;
using Brokkr.Stacks.Api;
using Brokkr.Stacks.Data;
using Brokkr.Stacks.Domain;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Stacks.Features;

/// <summary>
/// <c>PUT /api/v1/stacks/{id}</c> with the full <c>Stack</c>: changes the name and, when not null,
/// the description. The owner is immutable (the reference lets an owner hand a stack to another
/// generator, for example <c>__system__</c>, whose label matches reach every agent); the
/// timestamps belong to the server.
/// </summary>
public static class UpdateStack
{
    public sealed record Command(Caller Caller, Guid StackId, Stack Body) : ICommand<Stack>;

    internal sealed class Handler(BrokkrDb db, IPublisher publisher) : ICommandHandler<Command, Stack>
    {
        public async ValueTask<Stack> Handle(Command command, CancellationToken cancellationToken)
        {
            var stack = await StackAccess.OwnedAsync(db, command.Caller, command.StackId, cancellationToken);
            var body = command.Body;
            if (body.Id != command.StackId)
            {
                throw ApiException.BadRequest("stack_id_mismatch", "id in the body does not match the path");
            }

            if (body.GeneratorId != stack.GeneratorId)
            {
                throw ApiException.BadRequest("immutable_field", "generator_id cannot be changed", new Dictionary<string, object?> { ["field"] = "generator_id" });
            }

            StackFields.Validate(body.Name, body.Description);
            var description = body.Description ?? stack.Description;
            await db.GetTable<StackRow>()
                .Where(s => s.Id == stack.Id)
                .Set(s => s.Name, body.Name)
                .Set(s => s.Description, description)
                .UpdateAsync(cancellationToken);
            var row = await db.GetTable<StackRow>().FirstAsync(s => s.Id == stack.Id, cancellationToken);
            await publisher.Publish(new AuditEntry(command.Caller.ActorType, command.Caller.ActorId, "stack.updated", "stack", row.Id,
                new Dictionary<string, object?> { ["name"] = row.Name }), cancellationToken);
            return Stack.From(row);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPut("/api/v1/stacks/{id}", async (Guid id, Caller caller, Json<Stack> body, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Command(caller, id, body.Value), ct)))
                .Accepts<Stack>("application/json")
                .WithTags("stacks")
                .WithName("update_stack")
                .WithSummary("Update a stack")
                .WithDescription("Admin or the owning generator; the body is the full `Stack` and its `id` must match the path. Changes `name` and `description` (a null description leaves it unchanged). `generator_id` cannot change (400 `immutable_field`); `created_at`, `updated_at` and `deleted_at` are kept by the server.");
    }
}

/// <summary>Stack name and description rules shared by create and update (400 <c>invalid_stack</c>).</summary>
internal static class StackFields
{
    public const int MaxName = 255;
    public const int MaxDescription = 4096;

    public static string? NameProblem(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "Stack name must not be blank";
        }

        return !WireText.Fits(name, MaxName)
            ? $"Stack name must be text of at most {MaxName} characters"
            : null;
    }

    public static string? DescriptionProblem(string? description)
        => description is not null && !WireText.Fits(description, MaxDescription)
            ? $"Description must be text of at most {MaxDescription} characters"
            : null;

    public static void Validate(string name, string? description)
    {
        if ((NameProblem(name) ?? DescriptionProblem(description)) is { } problem)
        {
            throw ApiException.BadRequest("invalid_stack", problem);
        }
    }
}
