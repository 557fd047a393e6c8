using Brokkr.Realtime.Data;
using Brokkr.Realtime.Live;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Brokkr.Realtime.Features;

/// <summary>
/// <c>GET /api/v1/stacks/{id}/live</c>: a WebSocket tail of the Kubernetes events, pod log lines
/// and log gaps agents send for the stack, from every replica. Admin (the read-only token too) or
/// the generator that owns the stack: agents 403 <c>forbidden</c>, then 404 <c>stack_not_found</c>,
/// then 403 <c>stack_not_owned</c>. Browsers may authenticate with the subprotocol
/// <c>brokkr.pak.&lt;PAK&gt;</c>. Not in the OpenAPI document, as in the reference.
/// </summary>
public static class SubscribeStackLive
{
    public sealed record Query(Caller Caller, Guid StackId) : IQuery<Unit>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, Unit>
    {
        public async ValueTask<Unit> Handle(Query query, CancellationToken cancellationToken)
        {
            if (query.Caller.IsAgent)
            {
                throw ApiException.Forbidden("forbidden", "Agents cannot subscribe to stack telemetry");
            }

            var stack = await db.GetTable<StackView>().FirstOrDefaultAsync(s => s.Id == query.StackId && s.DeletedAt == null, cancellationToken)
                ?? throw ApiException.NotFound("stack_not_found", "Stack not found");
            if (!query.Caller.IsAdmin && !query.Caller.IsGeneratorSelf(stack.GeneratorId))
            {
                throw ApiException.Forbidden("stack_not_owned", "The stack belongs to another generator");
            }

            return Unit.Value;
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/stacks/{id}/live", async (HttpContext context, Guid id, Caller caller, IServiceScopeFactory scopes, LiveChannel live) =>
                {
                    // A scope of its own, so the request does not hold a database connection while the socket is open.
                    await using (var scope = scopes.CreateAsyncScope())
                    {
                        await scope.ServiceProvider.GetRequiredService<ISender>().Send(new Query(caller, id), context.RequestAborted);
                    }

                    WebSocketRequests.RequireUpgrade(context);
                    await live.RunAsync(context, id);
                })
                .WithMetadata(PakFromWebSocketSubprotocol.Instance)
                .ExcludeFromDescription();
    }
}
