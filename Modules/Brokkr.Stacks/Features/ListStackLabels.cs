using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Stacks.Api;
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

/// <summary>
/// <c>GET /api/v1/stacks/{id}/labels</c>: admin always (an unknown id gives []); otherwise the
/// owning generator or an agent with an explicit target on the stack.
/// </summary>
public static class ListStackLabels
{
    public sealed record Query(Caller Caller, Guid StackId) : IQuery<IReadOnlyList<StackLabel>>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, IReadOnlyList<StackLabel>>
    {
        public async ValueTask<IReadOnlyList<StackLabel>> Handle(Query query, CancellationToken cancellationToken)
        {
            await StackAccess.EnsureReadableAsync(db, query.Caller, query.StackId, cancellationToken);
            var rows = await db.GetTable<StackLabelRow>().Where(l => l.StackId == query.StackId).OrderBy(l => l.Id).ToListAsync(cancellationToken);
            return rows.ConvertAll(StackLabel.From);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/stacks/{id}/labels", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, id), ct)))
                .WithTags("stacks")
                .WithName("stacks_list_labels")
                .WithSummary("List a stack's labels")
                .WithDescription("Admin (always answered, an empty list for an unknown stack), the owning generator, or an agent with an explicit target on the stack; an agent that only matches the stack by label or annotation is refused (403 `stack_not_accessible`).");
    }
}

/// <summary><c>GET /api/v1/stacks/{id}/annotations</c>: the same access as the labels.</summary>
public static class ListStackAnnotations
{
    public sealed record Query(Caller Caller, Guid StackId) : IQuery<IReadOnlyList<StackAnnotation>>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, IReadOnlyList<StackAnnotation>>
    {
        public async ValueTask<IReadOnlyList<StackAnnotation>> Handle(Query query, CancellationToken cancellationToken)
        {
            await StackAccess.EnsureReadableAsync(db, query.Caller, query.StackId, cancellationToken);
            var rows = await db.GetTable<StackAnnotationRow>().Where(a => a.StackId == query.StackId).OrderBy(a => a.Id).ToListAsync(cancellationToken);
            return rows.ConvertAll(StackAnnotation.From);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/stacks/{id}/annotations", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, id), ct)))
                .WithTags("stacks")
                .WithName("stacks_list_annotations")
                .WithSummary("List a stack's annotations")
                .WithDescription("Admin (always answered, an empty list for an unknown stack), the owning generator, or an agent with an explicit target on the stack; an agent that only matches the stack by label or annotation is refused (403 `stack_not_accessible`).");
    }
}
