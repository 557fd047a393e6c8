using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
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

/// <summary><c>DELETE /api/v1/stacks/{id}/labels/{label}</c>: admin or the owning generator.</summary>
public static class RemoveStackLabel
{
    public sealed record Command(Caller Caller, Guid StackId, string Label) : ICommand;

    internal sealed class Handler(BrokkrDb db) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            await StackAccess.OwnedAsync(db, command.Caller, command.StackId, cancellationToken);
            var removed = await db.GetTable<StackLabelRow>()
                .Where(l => l.StackId == command.StackId && l.Label == command.Label)
                .DeleteAsync(cancellationToken);
            return removed > 0 ? Unit.Value : throw ApiException.NotFound("stack_label_not_found", "Stack label not found");
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapDelete("/api/v1/stacks/{id}/labels/{**label}", async (Guid id, string label, Caller caller, ISender sender, CancellationToken ct) =>
                {
                    await sender.Send(new Command(caller, id, PathText.Segment(label)), ct);
                    return TypedResults.NoContent();
                })
                .WithTags("stacks")
                .WithName("stacks_remove_label")
                .WithSummary("Remove a label from a stack")
                .WithDescription("Admin or the owning generator. The label is the rest of the path, percent-encoded where needed (a `/` may be written as is or as `%2F`).");
    }
}

/// <summary><c>DELETE /api/v1/stacks/{id}/annotations/{key}</c>: admin or the owning generator.</summary>
public static class RemoveStackAnnotation
{
    public sealed record Command(Caller Caller, Guid StackId, string Key) : ICommand;

    internal sealed class Handler(BrokkrDb db) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            await StackAccess.OwnedAsync(db, command.Caller, command.StackId, cancellationToken);
            var removed = await db.GetTable<StackAnnotationRow>()
                .Where(a => a.StackId == command.StackId && a.Key == command.Key)
                .DeleteAsync(cancellationToken);
            return removed > 0 ? Unit.Value : throw ApiException.NotFound("stack_annotation_not_found", "Stack annotation not found");
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapDelete("/api/v1/stacks/{id}/annotations/{**key}", async (Guid id, string key, Caller caller, ISender sender, CancellationToken ct) =>
                {
                    await sender.Send(new Command(caller, id, PathText.Segment(key)), ct);
                    return TypedResults.NoContent();
                })
                .WithTags("stacks")
                .WithName("stacks_remove_annotation")
                .WithSummary("Remove an annotation from a stack")
                .WithDescription("Admin or the owning generator. The key is the rest of the path, percent-encoded where needed (a `/` may be written as is or as `%2F`).");
    }
}

/// <summary>
/// A label or key taken from the rest of the path. Routing decodes every escape but <c>%2F</c>, so
/// that one is decoded here; labels and keys may contain slashes (e.g. <c>app.kubernetes.io/name</c>).
/// </summary>
internal static class PathText
{
    public static string Segment(string value) => value.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
}
