using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Stacks.Api;
using Brokkr.Stacks.Domain;
using Carter;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Stacks.Features;

/// <summary><c>GET /api/v1/stacks/{id}</c>: admin or the owning generator.</summary>
public static class GetStack
{
    public sealed record Query(Caller Caller, Guid StackId) : IQuery<Stack>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, Stack>
    {
        public async ValueTask<Stack> Handle(Query query, CancellationToken cancellationToken)
            => Stack.From(await StackAccess.OwnedAsync(db, query.Caller, query.StackId, cancellationToken));
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/stacks/{id}", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, id), ct)))
                .WithTags("stacks")
                .WithName("get_stack")
                .WithSummary("Get a stack")
                .WithDescription("Admin or the generator that owns the stack. A deleted stack is not found.");
    }
}
