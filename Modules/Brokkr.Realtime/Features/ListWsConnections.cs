using Brokkr.Realtime.Api;
using Brokkr.Realtime.Channel;
using Brokkr.Realtime.Live;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Carter;
using LinqToDB;
using LinqToDB.Data;
using LinqToDB.Mapping;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Realtime.Features;

/// <summary>
/// <c>GET /api/v1/admin/ws/connections</c>: every agent socket held by a live replica, oldest
/// first, and the live stack subscribers of all replicas. This replica's figures are exact; the
/// others' counters are as of their last tick (every few seconds). Admin only.
/// </summary>
public static class ListWsConnections
{
    public sealed record Query(Caller Caller) : IQuery<WsConnectionsResponse>;

    internal sealed class Handler(BrokkrDb db, ReplicaIdentity self, AgentSockets sockets, LiveHub hub, RealtimeOptions options)
        : IQueryHandler<Query, WsConnectionsResponse>
    {
        private const string ConnectionsSql = """
            SELECT c.agent_id, c.replica_id, c.connection_id, c.connected_since, c.messages_in, c.messages_out,
                   (SELECT coalesce(sum(o.stack_subscribers), 0) FROM realtime_replicas o
                    WHERE o.replica_id <> @replica AND o.seen_at > now() - @expiry) AS remote_subscribers
            FROM realtime_connections c
            JOIN realtime_replicas r ON r.replica_id = c.replica_id AND r.seen_at > now() - @expiry
            ORDER BY c.connected_since, c.agent_id
            """;

        private const string RemoteSubscribersSql = """
            SELECT coalesce(sum(stack_subscribers), 0) FROM realtime_replicas
            WHERE replica_id <> @replica AND seen_at > now() - @expiry
            """;

        public async ValueTask<WsConnectionsResponse> Handle(Query query, CancellationToken cancellationToken)
        {
            query.Caller.RequireAdmin();
            var parameters = new[]
            {
                new DataParameter("replica", self.Id, DataType.Guid),
                new DataParameter("expiry", options.ReplicaExpiry, DataType.Interval),
            };
            var rows = await db.QueryToListAsync<ConnectionRow>(ConnectionsSql, cancellationToken, parameters);
            var remoteSubscribers = rows.Count > 0
                ? rows[0].RemoteSubscribers
                : await db.ExecuteAsync<long>(RemoteSubscribersSql, cancellationToken, parameters);
            var connections = rows.ConvertAll(row =>
            {
                if (row.ReplicaId == self.Id && sockets.TryGet(row.AgentId, out var local) && local.ConnectionId == row.ConnectionId)
                {
                    return new WsConnectionInfo(row.AgentId, row.ConnectedSince, local.MessagesIn, local.MessagesOut);
                }

                return new WsConnectionInfo(row.AgentId, row.ConnectedSince, row.MessagesIn, row.MessagesOut);
            });
            return new WsConnectionsResponse(connections.Count, connections, hub.StackSubscribers + remoteSubscribers);
        }
    }

    internal sealed class ConnectionRow
    {
        [Column("agent_id")] public Guid AgentId { get; set; }
        [Column("replica_id")] public Guid ReplicaId { get; set; }
        [Column("connection_id")] public Guid ConnectionId { get; set; }
        [Column("connected_since")] public DateTime ConnectedSince { get; set; }
        [Column("messages_in")] public long MessagesIn { get; set; }
        [Column("messages_out")] public long MessagesOut { get; set; }
        [Column("remote_subscribers")] public long RemoteSubscribers { get; set; }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/admin/ws/connections", async (Caller caller, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Query(caller), ct)))
                .WithTags("admin")
                .WithName("list_ws_connections")
                .WithSummary("List agent WebSocket connections")
                .WithDescription("Admin only (403 `admin_required`). The agents holding a WebSocket on any broker replica, oldest connection first, with the frames each received (`messages_in`) and sent (`messages_out`), and `live_subscribers`: live stack telemetry subscribers across replicas. Counters of sockets held by another replica are at most a few seconds old.");
    }
}
