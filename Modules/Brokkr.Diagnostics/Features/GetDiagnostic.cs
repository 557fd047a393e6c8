using Brokkr.Diagnostics.Api;
using Brokkr.Diagnostics.Data;
using Brokkr.Diagnostics.Domain;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Diagnostics.Features;

/// <summary><c>GET /api/v1/diagnostics/{id}</c>: the request and its result (null until submitted). Admin or the request's agent.</summary>
public static class GetDiagnostic
{
    public sealed record Query(Caller Caller, Guid RequestId) : IQuery<DiagnosticResponse>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, DiagnosticResponse>
    {
        public async ValueTask<DiagnosticResponse> Handle(Query query, CancellationToken cancellationToken)
        {
            var request = await DiagnosticAccess.ForAdminOrOwnerAsync(db, query.Caller, query.RequestId, cancellationToken);
            var result = await db.GetTable<DiagnosticResultRow>().FirstOrDefaultAsync(r => r.RequestId == request.Id, cancellationToken);
            return new DiagnosticResponse(request.ToContract(), result?.ToContract());
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/diagnostics/{id}", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller, id), ct)))
                .WithTags("diagnostics")
                .WithName("get_diagnostic")
                .WithSummary("Get a diagnostic request and its result")
                .WithDescription("Admin or the agent the request is for. 404 `diagnostic_not_found`, then 403 `diagnostic_not_owned`. `result` is null until the agent has submitted one.");
    }
}
