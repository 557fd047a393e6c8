using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
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

/// <summary><c>POST /api/v1/stacks/{id}/labels</c> with a bare JSON string body, e.g. <c>"env:prod"</c>.</summary>
public static class AddStackLabel
{
    public sealed record Command(Caller Caller, Guid StackId, string Label) : ICommand<StackLabel>;

    internal sealed class Handler(BrokkrDb db) : ICommandHandler<Command, StackLabel>
    {
        public async ValueTask<StackLabel> Handle(Command command, CancellationToken cancellationToken)
        {
            await StackAccess.OwnedAsync(db, command.Caller, command.StackId, cancellationToken);
            Labels.Validate(command.Label);
            var row = new StackLabelRow { Id = Guid.CreateVersion7(), StackId = command.StackId, Label = command.Label };
            await db.InsertAsync(row, token: cancellationToken);
            return new StackLabel(row.Id, row.StackId, row.Label);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/stacks/{id}/labels", async (Guid id, Caller caller, Json<string> body, ISender sender, CancellationToken ct)
                    => TypedResults.Created((string?)null, await sender.Send(new Command(caller, id, body.Value), ct)))
                .Accepts<string>("application/json")
                .WithTags("stacks")
                .WithName("stacks_add_label")
                .WithSummary("Add a label to a stack")
                .WithDescription("The body is a bare JSON string: 1 to 64 bytes, no whitespace. Agents with the same label, registered with the stack's generator, receive the stack.");
    }
}
