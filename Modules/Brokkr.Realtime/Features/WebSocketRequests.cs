using Brokkr.Shared.Errors;
using Microsoft.AspNetCore.Http;

namespace Brokkr.Realtime.Features;

internal static class WebSocketRequests
{
    /// <summary>
    /// After the caller checks, so that a plain GET learns why it would be refused; a request that
    /// passes them but is no upgrade gets 400.
    /// </summary>
    public static void RequireUpgrade(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            throw ApiException.BadRequest("websocket_upgrade_required", "This endpoint accepts only a WebSocket upgrade request");
        }
    }
}
