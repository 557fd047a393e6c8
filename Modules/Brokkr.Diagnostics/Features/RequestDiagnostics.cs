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
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Diagnostics.Features;

/// <summary>
/// <c>POST /api/v1/deployment-objects/{id}/diagnostics</c>: admin asks one agent to collect
/// diagnostics about a deployment object; the request is pending until it expires
/// (<c>retention_minutes</c>, 1 to 1440, default 60). The agent need not be associated with the object.
/// </summary>
public static class RequestDiagnostics
{
    public const int DefaultRetentionMinutes = 60;
    public const int MaxRetentionMinutes = 1440;
    public const int MaxRequestedByLength = 255;

    public sealed record CreateDiagnosticRequest(Guid AgentId, string? RequestedBy = null, long? RetentionMinutes = null);

    public sealed record Command(Caller Caller, Guid DeploymentObjectId, CreateDiagnosticRequest Body) : ICommand<DiagnosticRequest>;

    internal sealed class Handler(BrokkrDb db, TimeProvider time) : ICommandHandler<Command, DiagnosticRequest>
    {
        public async ValueTask<DiagnosticRequest> Handle(Command command, CancellationToken cancellationToken)
        {
            command.Caller.RequireAdmin();
            var objectId = command.DeploymentObjectId;
            if (!await db.GetTable<DeploymentObjectView>().AnyAsync(o => o.Id == objectId && o.DeletedAt == null, cancellationToken))
            {
                throw ApiException.NotFound("deployment_object_not_found", "Deployment object not found");
            }

            var body = command.Body;
            if (!await db.GetTable<AgentView>().AnyAsync(a => a.Id == body.AgentId && a.DeletedAt == null, cancellationToken))
            {
                throw ApiException.NotFound("agent_not_found", "Agent not found");
            }

            var retention = body.RetentionMinutes ?? DefaultRetentionMinutes;
            if (retention is < 1 or > MaxRetentionMinutes)
            {
                throw Invalid($"retention_minutes must be between 1 and {MaxRetentionMinutes}");
            }

            if (body.RequestedBy is { } requestedBy && !WireText.Fits(requestedBy, MaxRequestedByLength))
            {
                throw Invalid($"requested_by must be at most {MaxRequestedByLength} characters, without NUL characters");
            }

            var now = DbClock.Now(time);
            var row = new DiagnosticRequestRow
            {
                Id = Guid.CreateVersion7(),
                AgentId = body.AgentId,
                DeploymentObjectId = objectId,
                Status = DiagnosticStatus.Pending,
                RequestedBy = body.RequestedBy,
                CreatedAt = now,
                ExpiresAt = now.AddMinutes(retention),
            };
            await db.InsertAsync(row, token: cancellationToken);
            return row.ToContract();
        }

        private static ApiException Invalid(string message) => ApiException.BadRequest("invalid_diagnostic_request", message);
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/deployment-objects/{id}/diagnostics", async (Guid id, Caller caller, Json<CreateDiagnosticRequest> body, ISender sender, CancellationToken ct)
                    => TypedResults.Created((string?)null, await sender.Send(new Command(caller, id, body.Value), ct)))
                .Accepts<CreateDiagnosticRequest>("application/json")
                .WithTags("diagnostics")
                .WithName("create_diagnostic_request")
                .WithSummary("Request diagnostics from an agent")
                .WithDescription("Admin only (403 `admin_required`). Creates a `pending` request for the agent `agent_id` to collect pod statuses, events and log tails of the deployment object; it expires after `retention_minutes` (1 to 1440, default 60; 400 `invalid_diagnostic_request` otherwise). 404 `deployment_object_not_found`, then 404 `agent_not_found`. `requested_by` is free text of at most 255 characters.");
    }
}
