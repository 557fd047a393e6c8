using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Http;
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

/// <summary><c>GET /api/v1/templates</c>: admin sees every live version; a generator the system templates and its own.</summary>
public static class ListTemplates
{
    public sealed record Query(Caller Caller, Paging Paging) : IQuery<IReadOnlyList<StackTemplate>>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, IReadOnlyList<StackTemplate>>
    {
        public async ValueTask<IReadOnlyList<StackTemplate>> Handle(Query query, CancellationToken cancellationToken)
        {
            var caller = query.Caller;
            TemplateAccess.RequireNotAgent(caller);
            var templates = db.GetTable<StackTemplateRow>().Where(t => t.DeletedAt == null);
            if (caller.IsGenerator)
            {
                var generatorId = caller.Id;
                templates = templates.Where(t => t.GeneratorId == null || t.GeneratorId == generatorId);
            }

            var rows = await query.Paging.Apply(templates.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id)).ToListAsync(cancellationToken);
            return rows.ConvertAll(StackTemplate.From);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/templates", async (Paging paging, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, paging), ct)))
                .WithTags("templates")
                .WithName("list_templates")
                .WithSummary("List templates")
                .WithDescription("Admin: every live template version. A generator: the system templates (`generator_id` null) and its own. Agents are refused (403 `templates_not_accessible`). Oldest first; optional `limit` (1 to 1000) and `offset`.");
    }
}
