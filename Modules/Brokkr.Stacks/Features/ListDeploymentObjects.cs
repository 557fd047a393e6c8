using Brokkr.Contracts.Stacks;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Http;
using Brokkr.Stacks.Data;
using Brokkr.Stacks.Domain;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Stacks.Features;

/// <summary><c>GET /api/v1/stacks/{id}/deployment-objects</c>: the stack's live revisions, newest first.</summary>
public static class ListDeploymentObjects
{
    public sealed record Query(Caller Caller, Guid StackId, Paging Paging) : IQuery<IReadOnlyList<DeploymentObject>>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, IReadOnlyList<DeploymentObject>>
    {
        public async ValueTask<IReadOnlyList<DeploymentObject>> Handle(Query query, CancellationToken cancellationToken)
        {
            await StackAccess.OwnedAsync(db, query.Caller, query.StackId, cancellationToken);
            var revisions = db.GetTable<DeploymentObjectRow>()
                .Where(o => o.StackId == query.StackId && o.DeletedAt == null)
                .OrderByDescending(o => o.SequenceId);
            var rows = await query.Paging.Apply(revisions).ToListAsync(cancellationToken);
            return rows.ConvertAll(r => r.ToContract());
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/stacks/{id}/deployment-objects", async (Guid id, Paging paging, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, id, paging), ct)))
                .WithTags("stacks")
                .WithName("list_deployment_objects")
                .WithSummary("List a stack's deployment objects")
                .WithDescription("Admin or the owning generator. The stack's live revisions by `sequence_id`, newest first; optional `limit` (1 to 1000) and `offset`.");
    }
}
