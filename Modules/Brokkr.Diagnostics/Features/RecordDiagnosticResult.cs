using System.Text.Json;
using Brokkr.Contracts.Diagnostics;
using Brokkr.Diagnostics.Data;
using Brokkr.Diagnostics.Domain;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Json;
using Brokkr.Shared.Text;
using Carter;
using LinqToDB;
using LinqToDB.Data;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Diagnostics.Features;

/// <summary>
/// <c>POST /api/v1/diagnostics/{id}/result</c>: the agent submits what it collected and the request
/// becomes <c>completed</c>. Only the request's agent, admin included in the refusal. The request must
/// be claimed (409 <c>diagnostic_not_claimed</c>); each document must be non-empty JSON text.
/// </summary>
public static class RecordDiagnosticResult
{
    public sealed record Command(Caller Caller, Guid RequestId, SubmitDiagnosticResult Body) : ICommand<DiagnosticResult>;

    private const string CompleteSql = """
        UPDATE diagnostic_requests SET status = 'completed', completed_at = @now
        WHERE id = @id AND status = 'claimed'
        """;

    internal sealed class Handler(BrokkrDb db, TimeProvider time) : ICommandHandler<Command, DiagnosticResult>
    {
        public async ValueTask<DiagnosticResult> Handle(Command command, CancellationToken cancellationToken)
        {
            var request = await DiagnosticAccess.ForOwnerAsync(db, command.Caller, command.RequestId, cancellationToken);
            if (request.Status != DiagnosticStatus.Claimed)
            {
                throw NotClaimed(request.Status);
            }

            var body = command.Body;
            Validate("pod_statuses", body.PodStatuses);
            Validate("events", body.Events);
            if (body.LogTails is not null)
            {
                Validate("log_tails", body.LogTails);
            }

            var now = DbClock.Now(time);
            var completed = await db.ExecuteAsync(CompleteSql, cancellationToken,
                new DataParameter("id", request.Id, DataType.Guid),
                DbClock.Parameter("now", now));
            if (completed != 1)
            {
                // Expired by the cleanup job, or completed by a concurrent submission.
                throw NotClaimed("no longer claimed");
            }

            var row = new DiagnosticResultRow
            {
                Id = Guid.CreateVersion7(),
                RequestId = request.Id,
                PodStatuses = body.PodStatuses,
                Events = body.Events,
                LogTails = body.LogTails,
                CollectedAt = body.CollectedAt,
                CreatedAt = now,
            };
            await db.InsertAsync(row, token: cancellationToken);
            return row.ToContract();
        }

        private static ApiException NotClaimed(string status)
            => ApiException.Conflict("diagnostic_not_claimed", $"The request must be claimed before a result is submitted (it is {status})");
    }

    /// <summary>A JSON document carried as a string: not empty, storable, and JSON (policy: the reference checks only emptiness).</summary>
    internal static void Validate(string field, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw Invalid($"{field} must not be empty");
        }

        if (!WireText.IsStorable(text))
        {
            throw Invalid($"{field} must not contain NUL characters or unpaired surrogates");
        }

        try
        {
            using var _ = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException)
        {
            throw Invalid($"{field} must be a JSON document encoded as a string");
        }
    }

    private static ApiException Invalid(string message) => ApiException.BadRequest("invalid_diagnostic_result", message);

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/diagnostics/{id}/result", async (Guid id, Caller caller, Json<SubmitDiagnosticResult> body, ISender sender, CancellationToken ct)
                    => TypedResults.Created((string?)null, await sender.Send(new Command(caller, id, body.Value), ct)))
                .Accepts<SubmitDiagnosticResult>("application/json")
                .WithTags("diagnostics")
                .WithName("submit_diagnostic_result")
                .WithSummary("Submit a diagnostic result")
                .WithDescription("The agent the request is for, only: admin and other PAKs get 403 `diagnostic_not_owned` (after 404 `diagnostic_not_found`). The request must be `claimed` (409 `diagnostic_not_claimed`) and becomes `completed`. `pod_statuses`, `events` and the optional `log_tails` are JSON documents encoded as strings; an empty or non-JSON one is 400 `invalid_diagnostic_result`.");
    }
}
