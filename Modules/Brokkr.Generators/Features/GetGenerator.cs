using Brokkr.Generators.Api;
using Brokkr.Generators.Data;
using Brokkr.Generators.Domain;
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

/// <summary><c>GET /api/v1/generators/{id}</c>: admin, or the generator itself.</summary>
public static class GetGenerator
{
    public sealed record Query(Caller Caller, Guid GeneratorId) : IQuery<Generator>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, Generator>
    {
        public async ValueTask<Generator> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdminOrGenerator(query.GeneratorId);
            var row = await db.GetTable<GeneratorRow>().FirstOrDefaultAsync(g => g.Id == query.GeneratorId && g.DeletedAt == null, cancellationToken)
                ?? throw GeneratorRules.NotFound();
            return Generator.From(row);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/generators/{id}", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, id), ct)))
                .WithTags("generators")
                .WithName("get_generator")
                .WithSummary("Get a generator")
                .WithDescription("Admin or the generator itself. Any other PAK, agents included, gets 403 `generator_not_owned` before the lookup; then 404 `generator_not_found`.");
    }
}
