using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Templates.Api;
using Brokkr.Templates.Domain;
using Carter;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Templates.Features;

/// <summary><c>GET /api/v1/templates/{id}</c>: one version, for admin, its owner, and any generator if it is a system template.</summary>
public static class GetTemplate
{
    public sealed record Query(Caller Caller, Guid TemplateId) : IQuery<StackTemplate>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, StackTemplate>
    {
        public async ValueTask<StackTemplate> Handle(Query query, CancellationToken cancellationToken)
            => StackTemplate.From(await TemplateAccess.ReadableAsync(db, query.Caller, query.TemplateId, cancellationToken));
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/templates/{id}", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, id), ct)))
                .WithTags("templates")
                .WithName("get_template")
                .WithSummary("Get a template version")
                .WithDescription("404 `template_not_found` (deleted versions included), then 403 `template_not_accessible` unless admin, the owning generator, or a generator reading a system template.");
    }
}
