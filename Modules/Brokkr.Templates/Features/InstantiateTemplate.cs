using System.Text.Json;
using Brokkr.Contracts.Stacks;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Json;
using Brokkr.Shared.Text;
using Brokkr.Templates.Data;
using Brokkr.Templates.Domain;
using Brokkr.Templates.Domain.Tera;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Templates.Features;

/// <summary>
/// <c>POST /api/v1/stacks/{stack_id}/deployment-objects/from-template</c>: renders the exact template
/// version given with the parameters and stores the output as the stack's next revision (created by
/// the Stacks module), with its provenance, in one transaction. Checks in the reference's order
/// (details §2.2): stack, its owner, template, read access, labels and annotations, parameters, render.
/// </summary>
public static class InstantiateTemplate
{
    public sealed record TemplateInstantiationRequest(Guid TemplateId, JsonElement Parameters);

    public sealed record Command(Caller Caller, Guid StackId, TemplateInstantiationRequest Body) : ICommand<DeploymentObject>;

    internal sealed class Handler(BrokkrDb db, ISender sender) : ICommandHandler<Command, DeploymentObject>
    {
        public async ValueTask<DeploymentObject> Handle(Command command, CancellationToken cancellationToken)
        {
            var (caller, parameters) = (command.Caller, command.Body.Parameters);
            var stack = await db.GetTable<StackView>().FirstOrDefaultAsync(s => s.Id == command.StackId && s.DeletedAt == null, cancellationToken)
                ?? throw ApiException.NotFound("stack_not_found", "Stack not found");
            if (!caller.IsAdmin && !caller.IsGeneratorSelf(stack.GeneratorId))
            {
                throw ApiException.Forbidden("stack_not_owned", "The stack belongs to another generator");
            }

            var template = await TemplateAccess.ReadableAsync(db, caller, command.Body.TemplateId, cancellationToken);
            await EnsureStackMatchesAsync(template.Id, stack.Id, cancellationToken);

            var schema = await ParametersSchema.LoadAsync(template.ParametersSchema, cancellationToken);
            var parametersJson = parameters.GetRawText();
            if (ParametersSchema.Validate(schema, parametersJson) is { Count: > 0 } errors)
            {
                throw ApiException.BadRequest("invalid_parameters", "The parameters do not match the template's parameters_schema",
                    new Dictionary<string, object?> { ["validation_errors"] = errors });
            }

            var yaml = Render(template, parameters);
            var created = await sender.Send(new CreateDeploymentObject(stack.Id, yaml, IsDeletionMarker: false), cancellationToken);
            await db.InsertAsync(new RenderedDeploymentObjectRow
            {
                Id = Guid.CreateVersion7(),
                DeploymentObjectId = created.Id,
                TemplateId = template.Id,
                TemplateVersion = template.Version,
                TemplateParameters = parametersJson,
            }, token: cancellationToken);
            return created;
        }

        /// <summary>Every template label on the stack, and every template annotation with the same value (AND; 422 otherwise).</summary>
        private async Task EnsureStackMatchesAsync(Guid templateId, Guid stackId, CancellationToken cancellationToken)
        {
            var missingLabels = await db.GetTable<TemplateLabelRow>()
                .Where(l => l.TemplateId == templateId && !db.GetTable<StackLabelView>().Any(s => s.StackId == stackId && s.Label == l.Label))
                .OrderBy(l => l.CreatedAt).ThenBy(l => l.Id)
                .Select(l => l.Label)
                .ToListAsync(cancellationToken);
            var missingAnnotations = await db.GetTable<TemplateAnnotationRow>()
                .Where(a => a.TemplateId == templateId && !db.GetTable<StackAnnotationView>().Any(s => s.StackId == stackId && s.Key == a.Key && s.Value == a.Value))
                .OrderBy(a => a.CreatedAt).ThenBy(a => a.Id)
                .Select(a => a.Key + "=" + a.Value)
                .ToListAsync(cancellationToken);
            if (missingLabels.Count > 0 || missingAnnotations.Count > 0)
            {
                throw ApiException.Unprocessable("template_stack_mismatch", "The stack lacks labels or annotations the template requires",
                    new Dictionary<string, object?> { ["missing_labels"] = missingLabels, ["missing_annotations"] = missingAnnotations });
            }
        }

        private static string Render(StackTemplateRow template, JsonElement parameters)
        {
            string yaml;
            try
            {
                yaml = TemplateEngine.Render(TemplateEngine.Compile(template.TemplateContent), parameters);
            }
            catch (TemplateSyntaxException ex)
            {
                throw RenderFailed($"The stored template is not in the supported syntax: {ex.Message}");
            }
            catch (TemplateRenderException ex)
            {
                throw RenderFailed($"Template rendering failed: {ex.Message}");
            }

            if (!WireText.IsStorable(yaml))
            {
                throw RenderFailed("The rendered output contains NUL characters or unpaired surrogates");
            }

            return YamlDocuments.Problem(yaml) is { } problem ? throw RenderFailed($"Template rendering failed: {problem}") : yaml;
        }

        private static ApiException RenderFailed(string message) => ApiException.BadRequest("template_render_failed", message);
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/stacks/{stack_id}/deployment-objects/from-template", async (
                    [FromRoute(Name = "stack_id")] Guid stackId, Caller caller, Json<TemplateInstantiationRequest> body, ISender sender, CancellationToken ct)
                    => TypedResults.Created((string?)null, await sender.Send(new Command(caller, stackId, body.Value), ct)))
                .Accepts<TemplateInstantiationRequest>("application/json")
                .WithTags("stacks")
                .WithName("instantiate_template")
                .WithSummary("Create a deployment object from a template")
                .WithDescription("Admin or the stack's generator. Checks in order: 404 `stack_not_found`, 403 `stack_not_owned`, 404 `template_not_found`, "
                    + "403 `template_not_accessible` (a generator may use system templates and its own), 422 `template_stack_mismatch` with details "
                    + "`{missing_labels, missing_annotations}` (every template label, and every template annotation as `key=value`, must be on the stack), "
                    + "400 `invalid_parameters` with details `{validation_errors: [{path, message}]}` against the template's `parameters_schema`, "
                    + "400 `template_render_failed` (a missing variable, a type error, more than 2 s or 2 MiB of output, or output that is not YAML "
                    + "with at least one non-null document). The new revision records the template id, version and parameters as its provenance.");
    }
}
