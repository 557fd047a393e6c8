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
/// <c>POST /api/v1/templates</c>: admin creates a system template, a generator its own. A name the owner
/// already uses gets the next version number (a new row); the older versions stay.
/// </summary>
public static class CreateTemplate
{
    public sealed record CreateTemplateRequest(string Name, string TemplateContent, string ParametersSchema, string? Description = null);

    public sealed record Command(Caller Caller, CreateTemplateRequest Body) : ICommand<StackTemplate>;

    internal sealed class Handler(BrokkrDb db, IPublisher publisher) : ICommandHandler<Command, StackTemplate>
    {
        public async ValueTask<StackTemplate> Handle(Command command, CancellationToken cancellationToken)
        {
            var (caller, body) = (command.Caller, command.Body);
            TemplateAccess.RequireNotAgent(caller);
            TemplateRules.ValidateName(body.Name);
            await TemplateVersions.ValidateAsync(body.Description, body.TemplateContent, body.ParametersSchema, cancellationToken);
            var owner = caller.IsAdmin ? null : caller.Id;
            var row = await TemplateVersions.InsertAsync(db, owner, body.Name, body.Description, body.TemplateContent, body.ParametersSchema, cancellationToken);
            await publisher.Publish(TemplateVersions.Audit(caller, "template.created", row), cancellationToken);
            return StackTemplate.From(row);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/templates", async (Caller caller, Json<CreateTemplateRequest> body, ISender sender, CancellationToken ct)
                    => TypedResults.Created((string?)null, await sender.Send(new Command(caller, body.Value), ct)))
                .Accepts<CreateTemplateRequest>("application/json")
                .WithTags("templates")
                .WithName("create_template")
                .WithSummary("Create a template (or a new version of one)")
                .WithDescription("Admin creates a system template (`generator_id` null), a generator its own; agents are refused (403 `templates_not_accessible`). "
                    + "`template_content` is Tera syntax (see ADR 0012 for the supported constructs) and `parameters_schema` a JSON Schema as a JSON string. "
                    + "A blank or over-long name or blank content → 400 `invalid_template`; bad syntax → 400 `invalid_template_syntax` (details `{line, column}`); "
                    + "a schema that is not JSON, not a schema, or references anything outside itself → 400 `invalid_parameters_schema`. "
                    + "If the owner already has live versions of the name, this one gets the highest version + 1.");
    }
}
