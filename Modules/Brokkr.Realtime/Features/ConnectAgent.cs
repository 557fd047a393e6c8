using Brokkr.Realtime.Channel;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Errors;
using Carter;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Realtime.Features;

/// <summary>
/// <c>GET /internal/ws/agent</c>: the agent's WebSocket (behaviour §11), outside <c>/api/v1</c> and
/// the OpenAPI document. The PAK middleware has answered 401 already; anything but an agent PAK
/// is refused with 403 <c>agent_pak_required</c> instead of the upgrade.
/// </summary>
public static class ConnectAgent
{
    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapGet("/internal/ws/agent", (HttpContext context, Caller caller, AgentChannel channel) =>
                {
                    if (caller is not { IsAgent: true, Id: { } agentId })
                    {
                        throw ApiException.Forbidden("agent_pak_required", "Only an agent PAK may open the agent channel");
                    }

                    WebSocketRequests.RequireUpgrade(context);
                    return channel.RunAsync(context, agentId);
                })
                .ExcludeFromDescription();
    }
}
