using Brokkr.Health.Api;
using Brokkr.Health.Data;
using Brokkr.Health.Domain;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Health.Features;

/// <summary>
/// <c>GET /api/v1/stacks/{id}/health</c>: per live revision with health records, how many agents
/// report healthy, degraded and failing, and the worst status of each and of the stack. Computed
/// in one grouped query at read time. Admin only; no existence check.
/// </summary>
public static class GetStackHealth
{
    public sealed record Query(Caller Caller, Guid StackId) : IQuery<StackHealthResponse>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, StackHealthResponse>
    {
        public async ValueTask<StackHealthResponse> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdmin();
            var counts = await (
                    from h in db.GetTable<DeploymentHealthRow>()
                    join o in db.GetTable<DeploymentObjectView>() on h.DeploymentObjectId equals o.Id
                    where o.StackId == query.StackId && o.DeletedAt == null
                    group h by new { o.Id, o.SequenceId } into g
                    orderby g.Key.SequenceId descending
                    select new
                    {
                        g.Key.Id,
                        Healthy = g.LongCount(h => h.Status == HealthStatuses.Healthy),
                        Degraded = g.LongCount(h => h.Status == HealthStatuses.Degraded),
                        Failing = g.LongCount(h => h.Status == HealthStatuses.Failing),
                    })
                .ToListAsync(cancellationToken);
            var objects = counts
                .Select(c => new DeploymentObjectHealthSummary(c.Id, HealthStatuses.Worst(c.Healthy, c.Degraded, c.Failing), c.Healthy, c.Degraded, c.Failing))
                .ToList();
            return new StackHealthResponse(query.StackId, HealthStatuses.Worst(objects.Select(o => o.Status)), objects);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/stacks/{id}/health", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, id), ct)))
                .WithTags("health")
                .WithName("get_stack_health")
                .WithSummary("Get a stack's health")
                .WithDescription("Admin only (403 `admin_required`, generators included). For each live deployment object of the stack that has health records (newest first): the number of agents reporting healthy, degraded and failing, and its worst status; `overall_status` is the worst across them (failing > degraded > healthy > unknown). An unknown stack gives `unknown` and an empty list.");
    }
}
