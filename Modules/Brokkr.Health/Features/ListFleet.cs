using Brokkr.Contracts.Fleet;
using Brokkr.Health.Domain;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Http;
using Carter;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Health.Features;

/// <summary>
/// <c>GET /api/v1/fleet</c>: a record of measured values per live agent, oldest agent first; with
/// <c>?pak_id=&lt;generator id&gt;</c> only the agents registered with that generator (a view filter,
/// not a boundary). Admin only.
/// </summary>
public static class ListFleet
{
    public sealed record Query(Caller Caller, Guid? GeneratorId, Paging Paging) : IQuery<IReadOnlyList<FleetAgentRecord>>;

    internal sealed class Handler(FleetReader reader) : IQueryHandler<Query, IReadOnlyList<FleetAgentRecord>>
    {
        public async ValueTask<IReadOnlyList<FleetAgentRecord>> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdmin();
            return await reader.ReadAsync(new FleetScope(null, query.GeneratorId, query.Paging), cancellationToken);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/fleet", async (Caller caller, [FromQuery(Name = "pak_id")] string? pakId, Paging paging, ISender sender, CancellationToken ct) =>
                {
                    var generatorId = QueryParameters.OptionalUuid("pak_id", pakId);
                    return TypedResults.Ok(await sender.Send(new Query(caller, generatorId, paging), ct));
                })
                .WithTags("fleet")
                .WithName("list_fleet")
                .WithSummary("List the fleet")
                .WithDescription("Admin only (403 `admin_required`). One `FleetAgentRecord` per live agent, oldest first: heartbeat and event ages in whole seconds, pending deployment objects (what incremental target state would return now), pending and claimed work orders, failing and degraded health records, self-reported Kubernetes reachability. `?pak_id=<generator id>` keeps the agents registered with that generator (unknown: empty list). Optional `limit` (1..1000) and `offset`; without them every agent.");
    }
}
