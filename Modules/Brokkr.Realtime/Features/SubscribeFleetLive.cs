using Brokkr.Realtime.Live;
using Brokkr.Shared.Auth;
using Carter;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Realtime.Features;

/// <summary>
/// <c>GET /api/v1/fleet/live</c>: a WebSocket of <c>fleet_update</c> frames (one
/// <c>FleetAgentRecord</c> each) on agent connects and disconnects, REST heartbeats and the fleet
/// sweep, from every replica. Admin only (403 <c>admin_required</c>; the read-only token may).
/// Browsers may authenticate with the subprotocol <c>brokkr.pak.&lt;PAK&gt;</c>. Not in the OpenAPI document.
/// </summary>
public static class SubscribeFleetLive
{
    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/api/v1/fleet/live", (HttpContext context, Caller caller, LiveChannel live) =>
                {
                    caller.RequireAdmin();
                    WebSocketRequests.RequireUpgrade(context);
                    return live.RunAsync(context, stackId: null);
                })
                .WithMetadata(PakFromWebSocketSubprotocol.Instance)
                .ExcludeFromDescription();
    }
}
