using System.Text;
using Brokkr.Contracts.Stacks;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Stacks.Data;
using Brokkr.Stacks.Domain;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Stacks.Features;

/// <summary>
/// <c>GET /api/v1/deployment-objects/{id}</c>: admin; an agent with an explicit target on the stack
/// (a label or annotation match is not enough, as in the reference); the owning generator. JSON, or
/// the raw YAML when the client accepts YAML (details §4.1).
/// </summary>
public static class GetDeploymentObject
{
    public sealed record Query(Caller Caller, Guid DeploymentObjectId) : IQuery<DeploymentObject>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, DeploymentObject>
    {
        public async ValueTask<DeploymentObject> Handle(Query query, CancellationToken cancellationToken)
        {
            var caller = query.Caller;
            var row = await db.GetTable<DeploymentObjectRow>()
                .FirstOrDefaultAsync(o => o.Id == query.DeploymentObjectId && o.DeletedAt == null, cancellationToken)
                ?? throw ApiException.NotFound("deployment_object_not_found", "Deployment object not found");
            if (caller.IsAdmin)
            {
                return row.ToContract();
            }

            if (caller.IsAgent)
            {
                return await StackAccess.IsExplicitTargetAsync(db, caller.Id!.Value, row.StackId, cancellationToken)
                    ? row.ToContract()
                    : throw ApiException.Forbidden("agent_not_associated", "The agent is not targeted at this deployment object's stack");
            }

            var stack = await StackAccess.LiveAsync(db, row.StackId, cancellationToken) ?? throw StackAccess.NotFound();
            return caller.IsGeneratorSelf(stack.GeneratorId)
                ? row.ToContract()
                : throw ApiException.Forbidden("generator_not_associated", "The deployment object belongs to another generator's stack");
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/deployment-objects/{id}", async Task<Results<Ok<DeploymentObject>, FileContentHttpResult>> (
                    Guid id, Caller caller, HttpContext context, ISender sender, CancellationToken ct) =>
                {
                    var found = await sender.Send(new Query(caller, id), ct);
                    return MediaTypes.AcceptsYaml(context.Request.Headers.Accept)
                        ? TypedResults.Bytes(Encoding.UTF8.GetBytes(found.YamlContent), MediaTypes.Yaml)
                        : TypedResults.Ok(found);
                })
                .WithTags("deployment-objects")
                .WithName("get_deployment_object")
                .WithSummary("Get a deployment object")
                .WithDescription("Admin; an agent with an explicit target on the object's stack (403 `agent_not_associated` otherwise, even when a label matches); the generator that owns the stack (403 `generator_not_associated`). With `Accept: application/yaml` (or `text/yaml`, `application/x-yaml`) the answer is the raw YAML with `Content-Type: application/yaml`; errors are always JSON.")
                .Produces(StatusCodes.Status200OK, contentType: MediaTypes.Yaml);
    }
}
