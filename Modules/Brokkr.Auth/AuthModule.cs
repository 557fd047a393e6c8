using Brokkr.Auth.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Brokkr.Auth;

/// <summary>PAK authentication, the identity cache and its cross-replica invalidation, admin bootstrap.</summary>
public static class AuthModule
{
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
