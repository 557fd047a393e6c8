using System.Globalization;
using System.Text;
using System.Text.Json;
using Brokkr.Audit.Api;
using Brokkr.Audit.Data;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Http;
using Brokkr.Shared.Json;
using Carter;
using LinqToDB;
using LinqToDB.Async;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;

namespace Brokkr.Audit.Features;

/// <summary>
/// <c>GET /api/v1/admin/audit-logs</c>: audit entries matching the filters, newest first, with the
/// total and each actor's name. Admin only. One query for the page, one for the total.
/// </summary>
public static class ListAuditLogs
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>The filters as parsed; <c>Action</c> ending in <c>*</c> is a prefix.</summary>
    public sealed record Query(
        Caller Caller,
        string? ActorType = null,
        Guid? ActorId = null,
        string? Action = null,
        string? ResourceType = null,
        Guid? ResourceId = null,
        DateTime? From = null,
        DateTime? To = null,
        int Limit = DefaultLimit,
        long Offset = 0) : IQuery<AuditLogListResponse>;

    internal sealed class Handler(BrokkrDb db) : IQueryHandler<Query, AuditLogListResponse>
    {
        public async ValueTask<AuditLogListResponse> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdmin();
            var matching = Filter(db.GetTable<AuditLogRow>(), query);
            var total = await matching.LongCountAsync(cancellationToken);
            if (total <= query.Offset)
            {
                return new AuditLogListResponse([], total, 0, query.Limit, query.Offset);
            }

            var page = matching.OrderByDescending(l => l.Timestamp).ThenByDescending(l => l.Id).Skip((int)Math.Min(query.Offset, int.MaxValue)).Take(query.Limit);
            // A correlated subquery, not a join: it reaches each branch of the view by primary key for
            // the page's rows only, where a join hashes every agent and generator.
            var rows = await (
                    from log in page
                    orderby log.Timestamp descending, log.Id descending
                    select new
                    {
                        Log = log,
                        Name = db.GetTable<AuditActorNameView>()
                            .Where(n => n.ActorType == log.ActorType && n.ActorId == log.ActorId)
                            .Select(n => n.Name)
                            .FirstOrDefault(),
                    })
                .ToListAsync(cancellationToken);

            var logs = rows.ConvertAll(r => ToEntry(r.Log, r.Name));
            return new AuditLogListResponse(logs, total, logs.Count, query.Limit, query.Offset);
        }

        private static IQueryable<AuditLogRow> Filter(IQueryable<AuditLogRow> logs, Query query)
        {
            if (query.ActorType is { } actorType)
            {
                logs = logs.Where(l => l.ActorType == actorType);
            }

            if (query.ActorId is { } actorId)
            {
                logs = logs.Where(l => l.ActorId == actorId);
            }

            if (query.Action is { } action)
            {
                if (action.EndsWith('*'))
                {
                    var pattern = EscapeLike(action[..^1]) + "%";
                    logs = logs.Where(l => Sql.Like(l.Action, pattern, '\\'));
                }
                else
                {
                    logs = logs.Where(l => l.Action == action);
                }
            }

            if (query.ResourceType is { } resourceType)
            {
                logs = logs.Where(l => l.ResourceType == resourceType);
            }

            if (query.ResourceId is { } resourceId)
            {
                logs = logs.Where(l => l.ResourceId == resourceId);
            }

            if (query.From is { } from)
            {
                logs = logs.Where(l => l.Timestamp >= from);
            }

            if (query.To is { } to)
            {
                logs = logs.Where(l => l.Timestamp < to);
            }

            return logs;
        }

        private static AuditLogEntry ToEntry(AuditLogRow row, string? name) => new(
            row.Id,
            row.Timestamp,
            row.ActorType,
            row.ActorId,
            row.Action,
            row.ResourceType,
            row.ResourceId,
            row.Details is null ? null : JsonDocument.Parse(row.Details).RootElement.Clone(),
            row.IpAddress,
            row.UserAgent,
            row.CreatedAt,
            row.ActorType switch
            {
                "admin" => "admin",
                "system" => "system",
                _ => name,
            });
    }

    /// <summary>The prefix matched literally: <c>%</c>, <c>_</c> and the escape character itself are escaped.</summary>
    internal static string EscapeLike(string text)
    {
        var escaped = new StringBuilder(text.Length + 4);
        foreach (var c in text)
        {
            if (c is '\\' or '%' or '_')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>
    /// The query string, parsed before the caller check as every extraction error is: a value that does not
    /// parse is 400 <c>invalid_query_parameter</c>. <c>limit</c> is clamped to 1..1000, as the reference does.
    /// </summary>
    internal static Query Parse(Caller caller, IQueryCollection q)
    {
        var from = Timestamp("from", q["from"]);
        var to = Timestamp("to", q["to"]);
        long? limit = null;
        if ((string?)q["limit"] is { } limitText)
        {
            limit = long.TryParse(limitText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw QueryParameters.Invalid("limit", "must be an integer");
        }

        return new Query(
            caller,
            q["actor_type"],
            QueryParameters.OptionalUuid("actor_id", q["actor_id"]),
            q["action"],
            q["resource_type"],
            QueryParameters.OptionalUuid("resource_id", q["resource_id"]),
            from,
            to,
            (int)Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit),
            QueryParameters.NonNegative("offset", q["offset"]) ?? 0);
    }

    private static DateTime? Timestamp(string name, string? text)
        => text is null ? null
            : UtcTimestampConverter.TryParse(text, out var value) ? value
            : throw QueryParameters.Invalid(name, "must be an RFC 3339 timestamp with an offset");

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/admin/audit-logs", async (HttpContext context, Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(Parse(caller, context.Request.Query), ct)))
                .WithTags("Admin")
                .WithName("list_audit_logs")
                .WithSummary("Lists audit logs with optional filtering and pagination.")
                .WithDescription("Admin only (403 `admin_required`). Audit entries matching every given filter, newest first: `actor_type`, `actor_id`, `action` (exact, or a prefix when it ends in `*`), `resource_type`, `resource_id`, `from` (inclusive) and `to` (exclusive, RFC 3339). `limit` defaults to 100 and is clamped to 1..1000; `offset` is at least 0. `total` counts every matching entry; each entry carries `actor_name` (the agent's or generator's name, `admin`, `system`, or null when the actor no longer exists). A value that does not parse is 400 `invalid_query_parameter`.")
                .AddOpenApiOperationTransformer(DescribeParameters);

        private static readonly (string Name, JsonSchemaType Type, string? Format, string Description)[] Parameters =
        [
            ("actor_type", JsonSchemaType.String, null, "Filter by actor type (admin, agent, generator, system)."),
            ("actor_id", JsonSchemaType.String, "uuid", "Filter by actor ID."),
            ("action", JsonSchemaType.String, null, "Filter by action (exact match, or a prefix when it ends with `*`)."),
            ("resource_type", JsonSchemaType.String, null, "Filter by resource type."),
            ("resource_id", JsonSchemaType.String, "uuid", "Filter by resource ID."),
            ("from", JsonSchemaType.String, "date-time", "Filter by start time (inclusive, RFC 3339)."),
            ("to", JsonSchemaType.String, "date-time", "Filter by end time (exclusive, RFC 3339)."),
            ("limit", JsonSchemaType.Integer, "int64", "Maximum number of results (default 100, clamped to 1..1000)."),
            ("offset", JsonSchemaType.Integer, "int64", "Number of results to skip (at least 0)."),
        ];

        /// <summary>The filters are read from the query string by hand (to answer bad values with the envelope); the document lists them.</summary>
        private static Task DescribeParameters(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
        {
            operation.Parameters ??= [];
            foreach (var (name, type, format, description) in Parameters)
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name,
                    In = ParameterLocation.Query,
                    Required = false,
                    Description = description,
                    Schema = new OpenApiSchema { Type = type, Format = format },
                });
            }

            return Task.CompletedTask;
        }
    }
}
