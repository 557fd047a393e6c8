using Brokkr.Contracts.Diagnostics;
using Brokkr.Diagnostics.Data;
using Brokkr.Diagnostics.Domain;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Carter;
using LinqToDB;
using LinqToDB.Data;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Diagnostics.Features;

/// <summary>
/// <c>POST /api/v1/diagnostics/{id}/claim</c>: the agent takes a pending request. Admin or the
/// request's agent. The claim is one conditional UPDATE, so of concurrent claims (on any number of
/// broker replicas) exactly one wins and the others get 409 <c>diagnostic_already_claimed</c>.
/// </summary>
public static class ClaimDiagnostic
{
    public sealed record Command(Caller Caller, Guid RequestId) : ICommand<DiagnosticRequest>;

    private const string ClaimSql = """
        UPDATE diagnostic_requests SET status = 'claimed', claimed_at = @now
        WHERE id = @id AND status = 'pending'
        RETURNING id, agent_id, deployment_object_id, status, requested_by, created_at, claimed_at, completed_at, expires_at
        """;

    internal sealed class Handler(BrokkrDb db, TimeProvider time) : ICommandHandler<Command, DiagnosticRequest>
    {
        public async ValueTask<DiagnosticRequest> Handle(Command command, CancellationToken cancellationToken)
        {
            var request = await DiagnosticAccess.ForAdminOrOwnerAsync(db, command.Caller, command.RequestId, cancellationToken);
            if (request.Status != DiagnosticStatus.Pending)
            {
                throw AlreadyClaimed(request.Status);
            }

            var claimed = await db.QueryToListAsync<DiagnosticRequestRow>(ClaimSql, cancellationToken,
                new DataParameter("id", request.Id, DataType.Guid),
                DbClock.Parameter("now", DbClock.Now(time)));

            // Another claim committed between the read and the update.
            return claimed.Count == 1 ? claimed[0].ToContract() : throw AlreadyClaimed(DiagnosticStatus.Claimed);
        }

        private static ApiException AlreadyClaimed(string status)
            => ApiException.Conflict("diagnostic_already_claimed", $"Request is already {status}");
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/diagnostics/{id}/claim", async (Guid id, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Command(caller, id), ct)))
                .WithTags("diagnostics")
                .WithName("claim_diagnostic")
                .WithSummary("Claim a diagnostic request")
                .WithDescription("Admin or the agent the request is for. 404 `diagnostic_not_found`, then 403 `diagnostic_not_owned`. Only a `pending` request can be claimed; anything else, including a concurrent claim that won, is 409 `diagnostic_already_claimed`. The claim is atomic across broker replicas.");
    }
}
