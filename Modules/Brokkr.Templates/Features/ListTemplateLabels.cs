using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Templates.Api;
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

/// <summary><c>GET /api/v1/templates/{id}/labels</c>: read access to the template (admin, owner, any generator for a system template).</summary>
public static class ListTemplateLabels
{
    public sealed record Query(Caller Caller, Guid TemplateId) : IQuery<IReadOnlyList<TemplateLabel>>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, IReadOnlyList<TemplateLabel>>
    {
        public async ValueTask<IReadOnlyList<TemplateLabel>> Handle(Query query, CancellationToken cancellationToken)
        {
            await TemplateAccess.ReadableAsync(db, query.Caller, query.TemplateId, cancellationToken);
            var rows = await db.GetTable<TemplateLabelRow>().Where(l => l.TemplateId == query.TemplateId).OrderBy(l => l.CreatedAt).ThenBy(l => l.Id).ToListAsync(cancellationToken);
            return rows.ConvertAll(TemplateLabel.From);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/templates/{id}/labels", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, id), ct)))
                .WithTags("templates")
                .WithName("templates_list_labels")
                .WithSummary("List a template's labels")
                .WithDescription("404 `template_not_found`, then 403 `template_not_accessible` unless admin, the owner, or a generator reading a system template. A stack must carry every label of a template to be instantiated from it.");
    }
}

/// <summary><c>GET /api/v1/templates/{id}/annotations</c>: the same access as the labels.</summary>
public static class ListTemplateAnnotations
{
    public sealed record Query(Caller Caller, Guid TemplateId) : IQuery<IReadOnlyList<TemplateAnnotation>>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, IReadOnlyList<TemplateAnnotation>>
    {
        public async ValueTask<IReadOnlyList<TemplateAnnotation>> Handle(Query query, CancellationToken cancellationToken)
        {
            await TemplateAccess.ReadableAsync(db, query.Caller, query.TemplateId, cancellationToken);
            var rows = await db.GetTable<TemplateAnnotationRow>().Where(a => a.TemplateId == query.TemplateId).OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToListAsync(cancellationToken);
            return rows.ConvertAll(TemplateAnnotation.From);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/templates/{id}/annotations", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, id), ct)))
                .WithTags("templates")
                .WithName("templates_list_annotations")
                .WithSummary("List a template's annotations")
                .WithDescription("404 `template_not_found`, then 403 `template_not_accessible` unless admin, the owner, or a generator reading a system template. A stack must carry every annotation (key and value) of a template to be instantiated from it.");
    }
}
