using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Json;
using Brokkr.Stacks.Api;
using Brokkr.Stacks.Data;
using Brokkr.Stacks.Domain;
using Carter;
using LinqToDB;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Stacks.Features;

/// <summary><c>POST /api/v1/stacks/{id}/annotations</c> with <c>{stack_id, key, value}</c>.</summary>
public static class AddStackAnnotation
{
    public sealed record NewStackAnnotation(Guid StackId, string Key, string Value);

    public sealed record Command(Caller Caller, Guid StackId, NewStackAnnotation Body) : ICommand<StackAnnotation>;

    internal sealed class Handler(BrokkrDb db) : ICommandHandler<Command, StackAnnotation>
    {
        public async ValueTask<StackAnnotation> Handle(Command command, CancellationToken cancellationToken)
        {
            await StackAccess.OwnedAsync(db, command.Caller, command.StackId, cancellationToken);
            if (command.Body.StackId != command.StackId)
            {
                throw ApiException.BadRequest("stack_id_mismatch", "stack_id in the body does not match the path");
            }

            Annotations.Validate(command.Body.Key, command.Body.Value);

            var row = new StackAnnotationRow { Id = Guid.CreateVersion7(), StackId = command.StackId, Key = command.Body.Key, Value = command.Body.Value };
            await db.InsertAsync(row, token: cancellationToken);
            return new StackAnnotation(row.Id, row.StackId, row.Key, row.Value);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/stacks/{id}/annotations", async (Guid id, Caller caller, Json<NewStackAnnotation> body, ISender sender, CancellationToken ct)
                    => TypedResults.Created((string?)null, await sender.Send(new Command(caller, id, body.Value), ct)))
                .Accepts<NewStackAnnotation>("application/json")
                .WithTags("stacks")
                .WithName("stacks_add_annotation")
                .WithSummary("Add an annotation to a stack")
                .WithDescription("Body `{stack_id, key, value}`; key and value at most 64 characters; one value per key. Agents with the same pair, registered with the stack's generator, receive the stack.");
    }
}
