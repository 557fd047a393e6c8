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
/// <c>GET /api/v1/deployment-objects/{id}/health</c>: every agent's record for the object and the
/// worst status. Admin only (generators too get 403); no existence check, so an unknown id is
/// <c>unknown</c> with no records.
/// </summary>
public static class GetDeploymentHealth
{
    public sealed record Query(Caller Caller, Guid DeploymentObjectId) : IQuery<DeploymentHealthResponse>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, DeploymentHealthResponse>
    {
        public async ValueTask<DeploymentHealthResponse> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdmin();
            var rows = await db.GetTable<DeploymentHealthRow>()
                .Where(h => h.DeploymentObjectId == query.DeploymentObjectId)
                .OrderBy(h => h.CreatedAt).ThenBy(h => h.Id)
                .ToListAsync(cancellationToken);
            return new DeploymentHealthResponse(
                query.DeploymentObjectId,
                rows.ConvertAll(r => r.ToContract()),
                HealthStatuses.Worst(rows.Select(r => r.Status)));
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/deployment-objects/{id}/health", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, id), ct)))
                .WithTags("health")
                .WithName("get_deployment_health")
                .WithSummary("Get a deployment object's health")
                .WithDescription("Admin only (403 `admin_required`, generators included). Every agent's latest record for the object, oldest first, and `overall_status`, the worst of failing > degraded > healthy > unknown. An unknown id gives `unknown` and no records.");
    }
}
