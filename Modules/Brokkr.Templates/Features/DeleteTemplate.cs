using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Templates.Data;
using Brokkr.Templates.Domain;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Templates.Features;

/// <summary><c>DELETE /api/v1/templates/{id}</c>: soft-deletes that version only; its number may be taken again by the next version.</summary>
public static class DeleteTemplate
{
    public sealed record Command(Caller Caller, Guid TemplateId) : ICommand;

    internal sealed class Handler(BrokkrDb db, IPublisher publisher, TimeProvider clock) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var row = await TemplateAccess.OwnedAsync(db, command.Caller, command.TemplateId, cancellationToken);
            var deleted = await db.GetTable<StackTemplateRow>()
                .Where(t => t.Id == row.Id && t.DeletedAt == null)
                .Set(t => t.DeletedAt, clock.GetUtcNow().UtcDateTime)
                .UpdateAsync(cancellationToken);
            if (deleted == 0)
            {
                throw TemplateAccess.NotFound();
            }

            await publisher.Publish(TemplateVersions.Audit(command.Caller, "template.deleted", row, withDetails: false), cancellationToken);
            return Unit.Value;
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapDelete("/api/v1/templates/{id}", async (Guid id, Caller caller, ISender sender, CancellationToken ct) =>
                {
                    await sender.Send(new Command(caller, id), ct);
                    return TypedResults.NoContent();
                })
                .WithTags("templates")
                .WithName("delete_template")
                .WithSummary("Delete a template version")
                .WithDescription("Admin or the owning generator (403 `template_not_owned`), after 404 `template_not_found`. Soft-deletes this version only; other versions of the name stay.");
    }
}
