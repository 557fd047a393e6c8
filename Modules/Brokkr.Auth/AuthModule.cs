using Brokkr.Auth.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Brokkr.Auth;

/// <summary>PAK authentication, the identity cache and its cross-replica invalidation, admin bootstrap.</summary>
public static class AuthModule
{
    /// <summary>
    /// The cookie that carries an admin PAK for the broker's browser pages under <c>/admin</c> after
    /// their sign-in form; never read for <c>/api</c> or <c>/internal</c>.
    /// </summary>
    public const string AdminPageCookie = "brokkr_admin_pak";

    /// <summary>Whether the request presented a PAK (header or page cookie) that was refused.</summary>
    public static bool PakWasRejected(this Microsoft.AspNetCore.Http.HttpContext context)
        => context.Features.Get<RejectedPak>() is not null;

    public static IHostApplicationBuilder AddAuthModule(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PakCache>();
        builder.Services.AddSingleton<PakAuthenticator>();
        builder.Services.AddHostedService<PakChangeListener>();
        return builder;
    }

    public static IApplicationBuilder UseBrokkrAuthentication(this IApplicationBuilder app)
        => app.UseMiddleware<PakAuthenticationMiddleware>();
}
