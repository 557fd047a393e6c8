using System.Text.Json;
using Brokkr.Contracts.Agents;
using Brokkr.Contracts.Realtime;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Json;
using Carter;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;

namespace Brokkr.Agents.Features;

/// <summary>
/// <c>POST /api/v1/agents/{id}/heartbeat</c>: the agent itself only (admin too gets 403). The body is
/// never rejected: absent, malformed, non-JSON or ill-typed means "no report". A hot path: the 204 leaves
/// once the heartbeat's group commit (one UPDATE for every heartbeat queued meanwhile, ADR 0031) is stored.
/// </summary>
public static class RecordHeartbeat
{
    /// <summary>
    /// A request, not a command: the batch's single UPDATE is atomic on its own, so the transaction
    /// behaviour's BEGIN/COMMIT round trips are skipped on a path every agent hits every few seconds.
    /// </summary>
    public sealed record Request(Caller Caller, Guid AgentId, HeartbeatReport? Report) : IRequest;

    internal sealed class Handler(ISender sender, IPublisher publisher) : IRequestHandler<Request>
    {
        public async ValueTask<Unit> Handle(Request request, CancellationToken cancellationToken)
        {
            if (!request.Caller.IsAgentSelf(request.AgentId))
            {
                throw ApiException.Forbidden("agent_pak_mismatch", "Only the agent itself can send its heartbeat");
            }

            await sender.Send(new RecordAgentHeartbeat(request.AgentId, request.Report), cancellationToken);
            await publisher.Publish(new AgentFleetChanged(request.AgentId), cancellationToken);
            return Unit.Value;
        }
    }

    /// <summary>The report in the body, or null for anything that is not a well-typed JSON report.</summary>
    internal static async ValueTask<HeartbeatReport?> ReadReportAsync(HttpContext context)
    {
        if (context.Request.ContentLength == 0 || !RequestBody.IsJsonContentType(context.Request.ContentType))
        {
            return null;
        }

        byte[] body;
        try
        {
            body = await RequestBody.ReadAsync(context);
        }
        catch (Exception ex) when (ex is ApiException or BadHttpRequestException)
        {
            return null;
        }

        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<HeartbeatReport>(body, BrokkrJson.Options);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// The body is documented here rather than with <c>Accepts</c>, whose content-type routing would
    /// answer 415 to a non-JSON body that must be ignored instead.
    /// </summary>
    private static async Task DescribeOptionalReportAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var schema = await context.GetOrCreateSchemaAsync(typeof(HeartbeatReport), null, cancellationToken);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = false,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
        };
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/agents/{id}/heartbeat", async (Guid id, Caller caller, HttpContext context, ISender sender, CancellationToken ct) =>
                {
                    var report = await ReadReportAsync(context);
                    await sender.Send(new Request(caller, id, report), ct);
                    return TypedResults.NoContent();
                })
                .AddOpenApiOperationTransformer(DescribeOptionalReportAsync)
                .WithTags("agents")
                .WithName("record_heartbeat")
                .WithSummary("Record a heartbeat")
                .WithDescription("The agent itself only; admin and other PAKs get 403 `agent_pak_mismatch`. Sets `last_heartbeat`. The optional `HeartbeatReport` body stores `k8s_reachable` (with `k8s_api_latency_ms` and `k8s_reported_at`) when `k8s_reachable` is present; a missing, malformed or ill-typed body is ignored, never rejected.");
    }
}
