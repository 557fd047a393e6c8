using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Http;
using Brokkr.Stacks.Api;
using Brokkr.Stacks.Data;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Stacks.Features;

/// <summary>
/// <c>GET /api/v1/stacks</c>: admin sees every live stack (<c>?pak_id</c> narrows to one tenant's),
/// a generator its own, an agent nothing (403).
/// </summary>
public static class ListStacks
{
    public sealed record Query(Caller Caller, Guid? PakId, Paging Paging) : IQuery<IReadOnlyList<Stack>>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, IReadOnlyList<Stack>>
    {
        public async ValueTask<IReadOnlyList<Stack>> Handle(Query query, CancellationToken cancellationToken)
        {
            var caller = query.Caller;
            if (caller.IsAgent)
            {
                throw ApiException.Forbidden("stacks_list_denied", "Agents cannot list stacks");
            }

            // A generator always sees its own stacks; pak_id is an admin view filter, not a boundary.
            var generatorId = caller.IsGenerator ? caller.Id : query.PakId;
            var stacks = db.GetTable<StackRow>().Where(s => s.DeletedAt == null);
            if (generatorId is { } owner)
            {
                stacks = stacks.Where(s => s.GeneratorId == owner);
            }

            var page = query.Paging.Apply(stacks.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id));
            var rows = await page.ToListAsync(cancellationToken);
            return rows.ConvertAll(Stack.From);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/stacks", async (
                    [FromQuery(Name = "pak_id")] string? pakId, Paging paging, Caller caller, ISender sender, CancellationToken ct) =>
                {
                    var tenant = QueryParameters.OptionalUuid("pak_id", pakId);
                    return TypedResults.Ok(await sender.Send(new Query(caller, tenant, paging), ct));
                })
                .WithTags("stacks")
                .WithName("list_stacks")
                .WithSummary("List stacks")
                .WithDescription("Admin: every live stack, or with `pak_id` only that generator's (an unknown id gives an empty list). A generator PAK: its own stacks (`pak_id` is ignored). Agents are refused. Oldest first; optional `limit` (1 to 1000) and `offset`.");
    }
}
