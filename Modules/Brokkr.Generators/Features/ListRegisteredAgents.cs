using Brokkr.Contracts.Generators;
using Brokkr.Generators.Data;
using Brokkr.Generators.Domain;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Http;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Generators.Features;

/// <summary>
/// <c>GET /api/v1/generators/{id}/registered-agents</c>: the agents that consented to a generator.
/// The system generator is not a tenant: every agent is registered with it, so only admin sees that list.
/// </summary>
public static class ListRegisteredAgents
{
    public sealed record Query(Caller Caller, Guid GeneratorId, Paging Paging) : IQuery<IReadOnlyList<AgentGeneratorRegistration>>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, IReadOnlyList<AgentGeneratorRegistration>>
    {
        public async ValueTask<IReadOnlyList<AgentGeneratorRegistration>> Handle(Query query, CancellationToken cancellationToken)
        {
            if (!query.Caller.IsAdmin && !query.Caller.IsGeneratorSelf(query.GeneratorId))
            {
                throw ApiException.Forbidden("not_authorized", "Only admin or the generator itself can list its registered agents");
            }

            var isSystem = await db.GetTable<GeneratorRow>()
                .Where(g => g.Id == query.GeneratorId && g.DeletedAt == null)
                .Select(g => (bool?)g.IsSystem)
                .FirstOrDefaultAsync(cancellationToken)
                ?? throw GeneratorRules.NotFound();
            if (isSystem && !query.Caller.IsAdmin)
            {
                throw ApiException.Forbidden("system_generator_not_a_tenant", "The system generator is not a tenant");
            }

            var rows = await query.Paging.Apply(db.GetTable<RegistrationRow>()
                    .Where(r => r.GeneratorId == query.GeneratorId)
                    .OrderBy(r => r.RegisteredAt).ThenBy(r => r.Id))
                .ToListAsync(cancellationToken);
            return rows.ConvertAll(r => r.ToContract());
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/generators/{id}/registered-agents", async (Guid id, Caller caller, Paging paging, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, id, paging), ct)))
                .WithTags("generators")
                .WithName("list_generator_registered_agents")
                .WithSummary("List the agents registered with a generator")
                .WithDescription("Admin or the generator itself (403 `not_authorized`), then 404 `generator_not_found`; a non-admin asking about the system generator gets 403 `system_generator_not_a_tenant`. "
                    + "Registration records in registration order. Optional `limit` (1..1000) and `offset` (≥ 0); without them every registration is returned.");
    }
}
