using System.Text.Json;
using Brokkr.Contracts.Audit;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Json;
using Mediator;
using Microsoft.AspNetCore.Http;

namespace Brokkr.Auth.Authentication;

/// <summary>
/// Authenticates every routed request under <c>/api</c> and <c>/internal</c>. Unknown routes fall
/// through to the 404 first, as in the reference. A present but invalid PAK is audited. The live
/// WebSocket subscriptions may take the PAK from a subprotocol instead (<see cref="SubprotocolPak"/>).
/// The browser pages under <c>/admin</c> are authenticated too, but never refused here: they take the
/// PAK from the header or from the sign-in cookie (<see cref="AuthModule.AdminPageCookie"/>), which
/// is read for those pages only, and a page without a caller shows its sign-in form.
/// </summary>
internal sealed class PakAuthenticationMiddleware(RequestDelegate next, PakAuthenticator authenticator)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (context.GetEndpoint() is not null && path.StartsWithSegments("/admin"))
        {
            await AuthenticatePageAsync(context);
            await next(context);
            return;
        }

        if (context.GetEndpoint() is null || !(path.StartsWithSegments("/api") || path.StartsWithSegments("/internal")))
        {
            await next(context);
            return;
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            header = SubprotocolPak(context) ?? string.Empty;
        }

        if (string.IsNullOrWhiteSpace(header))
        {
            await RejectAsync(context, "Missing Authorization header");
            return;
        }

        var caller = await authenticator.AuthenticateAsync(header, context.RequestAborted);
        if (caller is null)
        {
            await AuditFailureAsync(context);
            await RejectAsync(context, "Invalid PAK");
            return;
        }

        context.Features.Set(caller);
        await next(context);
    }

    private async Task AuthenticatePageAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var credential = string.IsNullOrWhiteSpace(header) ? context.Request.Cookies[AuthModule.AdminPageCookie] : header;
        if (string.IsNullOrWhiteSpace(credential))
        {
            return;
        }

        var caller = await authenticator.AuthenticateAsync(credential, context.RequestAborted);
        if (caller is null)
        {
            await AuditFailureAsync(context);
            context.Features.Set(new RejectedPak());
            return;
        }

        context.Features.Set(caller);
    }

    /// <summary>
    /// Browsers cannot set headers on a WebSocket: an upgrade to an endpoint marked
    /// <see cref="PakFromWebSocketSubprotocol"/> (the live subscriptions) may offer the PAK as the
    /// subprotocol <c>brokkr.pak.&lt;PAK&gt;</c>; consulted only without an Authorization header.
    /// </summary>
    private static string? SubprotocolPak(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<PakFromWebSocketSubprotocol>() is null || !context.WebSockets.IsWebSocketRequest)
        {
            return null;
        }

        return context.WebSockets.WebSocketRequestedProtocols
            .FirstOrDefault(p => p.StartsWith(PakFromWebSocketSubprotocol.Prefix, StringComparison.Ordinal))?[PakFromWebSocketSubprotocol.Prefix.Length..];
    }

    private static async Task AuditFailureAsync(HttpContext context)
    {
        var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
        var ip = string.IsNullOrWhiteSpace(forwarded)
            ? context.Connection.RemoteIpAddress?.ToString()
            : forwarded.Split(',')[0].Trim();
        var userAgent = context.Request.Headers.UserAgent.ToString();
        var publisher = context.RequestServices.GetService(typeof(IPublisher)) as IPublisher;
        if (publisher is null)
        {
            return;
        }

        await publisher.Publish(new AuditEntry(
            "system", null, "auth.failed", "system", null,
            new Dictionary<string, object?> { ["reason"] = "invalid_pak", ["path"] = context.Request.Path.Value },
            Truncate(ip, 64), Truncate(string.IsNullOrEmpty(userAgent) ? null : userAgent, 512)), context.RequestAborted);
    }

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];

    private static async Task RejectAsync(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.ContentType = "application/json";
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await JsonSerializer.SerializeAsync(context.Response.Body, new ErrorEnvelope("unauthorized", message), BrokkrJson.Options, context.RequestAborted);
    }
}

/// <summary>Marks a page request whose PAK was presented and refused, so the page can say so.</summary>
internal sealed class RejectedPak;
