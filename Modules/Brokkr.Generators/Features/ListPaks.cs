using Brokkr.Generators.Data;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Generators.Features;

/// <summary><c>GET /api/v1/paks</c>: the tenants (non-system generators) an admin can scope views to.</summary>
public static class ListPaks
{
    public sealed record Query(Caller Caller) : IQuery<IReadOnlyList<PakSummary>>;

    public sealed record PakSummary(Guid Id, string Name);

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, IReadOnlyList<PakSummary>>
    {
        public async ValueTask<IReadOnlyList<PakSummary>> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdmin();
            return await db.GetTable<GeneratorRow>()
                .Where(g => g.DeletedAt == null && !g.IsSystem)
                .OrderBy(g => g.CreatedAt).ThenBy(g => g.Id)
                .Select(g => new PakSummary(g.Id, g.Name))
                .ToListAsync(cancellationToken);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/paks", async (Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller), ct)))
                .WithTags("auth")
                .WithName("list_paks")
                .WithSummary("List tenant PAK owners")
                .WithDescription("Admin only. The live non-system generators (`admin-generator` included), as `{id, name}` in creation order, for scoping admin views with `?pak_id=`.");
    }
}
