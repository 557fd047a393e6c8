using Brokkr.Shared.Errors;
using Microsoft.AspNetCore.Http;

namespace Brokkr.Realtime.Features;

internal static class WebSocketRequests
{
    /// <summary>Extraction, so before the caller checks (details §2.1): these endpoints only upgrade.</summary>
    public static void RequireUpgrade(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            throw ApiException.BadRequest("websocket_upgrade_required", "This endpoint accepts only a WebSocket upgrade request");
        }
    }
}
