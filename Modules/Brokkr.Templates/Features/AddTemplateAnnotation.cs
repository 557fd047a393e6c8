using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Json;
using Brokkr.Templates.Api;
using Brokkr.Templates.Data;
using Brokkr.Templates.Domain;
using Carter;
using LinqToDB;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Templates.Features;

/// <summary><c>POST /api/v1/templates/{id}/annotations</c> with <c>{key, value}</c> (no template id in the body, unlike stacks).</summary>
public static class AddTemplateAnnotation
{
    public sealed record AddAnnotationRequest(string Key, string Value);

    public sealed record Command(Caller Caller, Guid TemplateId, AddAnnotationRequest Body) : ICommand<TemplateAnnotation>;

    internal sealed class Handler(BrokkrDb db) : ICommandHandler<Command, TemplateAnnotation>
    {
        public async ValueTask<TemplateAnnotation> Handle(Command command, CancellationToken cancellationToken)
        {
            await TemplateAccess.OwnedAsync(db, command.Caller, command.TemplateId, cancellationToken);
            TemplateRules.ValidateAnnotation(command.Body.Key, command.Body.Value);
            var row = await db.GetTable<TemplateAnnotationRow>().InsertWithOutputAsync(new TemplateAnnotationRow
            {
                Id = Guid.CreateVersion7(),
                TemplateId = command.TemplateId,
                Key = command.Body.Key,
                Value = command.Body.Value,
            }, token: cancellationToken);
            return TemplateAnnotation.From(row);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/templates/{id}/annotations", async (Guid id, Caller caller, Json<AddAnnotationRequest> body, ISender sender, CancellationToken ct)
                    => TypedResults.Created((string?)null, await sender.Send(new Command(caller, id, body.Value), ct)))
                .Accepts<AddAnnotationRequest>("application/json")
                .WithTags("templates")
                .WithName("templates_add_annotation")
                .WithSummary("Add an annotation to a template")
                .WithDescription("Admin or the owning generator (403 `template_not_owned`). Body `{key, value}`, each 1 to 64 bytes with no whitespace (400 `invalid_annotation`); one value per key (409 `unique_violation`).");
    }
}
