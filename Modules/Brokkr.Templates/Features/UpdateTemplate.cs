using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Json;
using Brokkr.Templates.Api;
using Brokkr.Templates.Domain;
using Carter;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Templates.Features;

/// <summary>
/// <c>PUT /api/v1/templates/{id}</c>: a NEW row with a new id and the next version of the name; the old
/// row stays. The description carries over when left out; labels and annotations are not copied.
/// </summary>
public static class UpdateTemplate
{
    public sealed record UpdateTemplateRequest(string TemplateContent, string ParametersSchema, string? Description = null);

    public sealed record Command(Caller Caller, Guid TemplateId, UpdateTemplateRequest Body) : ICommand<StackTemplate>;

    internal sealed class Handler(BrokkrDb db, IPublisher publisher) : ICommandHandler<Command, StackTemplate>
    {
        public async ValueTask<StackTemplate> Handle(Command command, CancellationToken cancellationToken)
        {
            var body = command.Body;
            var current = await TemplateAccess.OwnedAsync(db, command.Caller, command.TemplateId, cancellationToken);
            var description = body.Description ?? current.Description;
            await TemplateVersions.ValidateAsync(description, body.TemplateContent, body.ParametersSchema, cancellationToken);
            var row = await TemplateVersions.InsertAsync(db, current.GeneratorId, current.Name, description, body.TemplateContent, body.ParametersSchema, cancellationToken);
            await publisher.Publish(TemplateVersions.Audit(command.Caller, "template.updated", row), cancellationToken);
            return StackTemplate.From(row);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPut("/api/v1/templates/{id}", async (Guid id, Caller caller, Json<UpdateTemplateRequest> body, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Command(caller, id, body.Value), ct)))
                .Accepts<UpdateTemplateRequest>("application/json")
                .WithTags("templates")
                .WithName("update_template")
                .WithSummary("Create the next version of a template")
                .WithDescription("Admin or the owning generator (a system template: admin only; else 403 `template_not_owned`), after 404 `template_not_found`. "
                    + "Answers a new row with a new id and version + 1 of the name; the version given stays. `description` carries over when omitted; "
                    + "labels and annotations are not copied. Same content checks as create.");
    }
}
