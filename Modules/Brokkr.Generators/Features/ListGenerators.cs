using Brokkr.Generators.Api;
using Brokkr.Generators.Data;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Http;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Generators.Features;

/// <summary><c>GET /api/v1/generators</c>: every live tenant; the system generator is not one.</summary>
public static class ListGenerators
{
    public sealed record Query(Caller Caller, Paging Paging) : IQuery<IReadOnlyList<Generator>>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, IReadOnlyList<Generator>>
    {
        public async ValueTask<IReadOnlyList<Generator>> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdmin();
            var rows = await query.Paging.Apply(db.GetTable<GeneratorRow>()
                    .Where(g => g.DeletedAt == null && !g.IsSystem)
                    .OrderBy(g => g.CreatedAt).ThenBy(g => g.Id))
                .ToListAsync(cancellationToken);
            return rows.ConvertAll(Generator.From);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/generators", async (Caller caller, Paging paging, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, paging), ct)))
                .WithTags("generators")
                .WithName("list_generators")
                .WithSummary("List generators")
                .WithDescription("Admin only (403 `admin_required`). The live generators except the system generator `__system__`, in creation order. "
                    + "Optional `limit` (1..1000) and `offset` (≥ 0); without them every generator is returned.");
    }
}
