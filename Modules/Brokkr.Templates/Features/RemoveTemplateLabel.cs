using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
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

/// <summary><c>DELETE /api/v1/templates/{id}/labels/{label}</c>: admin or the owning generator.</summary>
public static class RemoveTemplateLabel
{
    public sealed record Command(Caller Caller, Guid TemplateId, string Label) : ICommand;

    internal sealed class Handler(BrokkrDb db) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            await TemplateAccess.OwnedAsync(db, command.Caller, command.TemplateId, cancellationToken);
            var removed = await db.GetTable<TemplateLabelRow>()
                .Where(l => l.TemplateId == command.TemplateId && l.Label == command.Label)
                .DeleteAsync(cancellationToken);
            return removed > 0 ? Unit.Value : throw ApiException.NotFound("template_label_not_found", "Template label not found");
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapDelete("/api/v1/templates/{id}/labels/{**label}", async (Guid id, string label, Caller caller, ISender sender, CancellationToken ct) =>
                {
                    await sender.Send(new Command(caller, id, PathText.Segment(label)), ct);
                    return TypedResults.NoContent();
                })
                .WithTags("templates")
                .WithName("templates_remove_label")
                .WithSummary("Remove a label from a template")
                .WithDescription("Admin or the owning generator (403 `template_not_owned`); 404 `template_label_not_found`. The label is the rest of the path, percent-encoded where needed (a `/` as is or as `%2F`).");
    }
}

/// <summary><c>DELETE /api/v1/templates/{id}/annotations/{key}</c>: admin or the owning generator.</summary>
public static class RemoveTemplateAnnotation
{
    public sealed record Command(Caller Caller, Guid TemplateId, string Key) : ICommand;

    internal sealed class Handler(BrokkrDb db) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            await TemplateAccess.OwnedAsync(db, command.Caller, command.TemplateId, cancellationToken);
            var removed = await db.GetTable<TemplateAnnotationRow>()
                .Where(a => a.TemplateId == command.TemplateId && a.Key == command.Key)
                .DeleteAsync(cancellationToken);
            return removed > 0 ? Unit.Value : throw ApiException.NotFound("template_annotation_not_found", "Template annotation not found");
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapDelete("/api/v1/templates/{id}/annotations/{**key}", async (Guid id, string key, Caller caller, ISender sender, CancellationToken ct) =>
                {
                    await sender.Send(new Command(caller, id, PathText.Segment(key)), ct);
                    return TypedResults.NoContent();
                })
                .WithTags("templates")
                .WithName("templates_remove_annotation")
                .WithSummary("Remove an annotation from a template")
                .WithDescription("Admin or the owning generator (403 `template_not_owned`); 404 `template_annotation_not_found`. The key is the rest of the path, percent-encoded where needed (a `/` as is or as `%2F`).");
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
