using Brokkr.Shared.Configuration;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Brokkr.Host.Api;

/// <summary>
/// CORS from <c>BROKKR__CORS__*</c> (behaviour §13), applied before routing and authentication so that
/// a browser's preflight is answered (204) without a PAK, and every response, errors included, carries
/// the allow headers for an allowed origin.
/// </summary>
internal static class BrokkrCors
{
    public static void AddBrokkrCors(this IServiceCollection services)
    {
        services.AddCors();
        services.Replace(ServiceDescriptor.Singleton<ICorsPolicyProvider, BrokkrCorsPolicyProvider>());
    }

    public static void UseBrokkrCors(this IApplicationBuilder app) => app.UseCors();
}

/// <summary>
/// The policy for a request: <c>/readyz</c> is permissive as in the reference (§3.11), everything else
/// follows the settings as they are now. A configuration reload changes the four CORS settings in place;
/// the policy is rebuilt on the first request that sees them changed, and reused until then.
/// </summary>
internal sealed class BrokkrCorsPolicyProvider(BrokkrSettings settings) : ICorsPolicyProvider
{
    public const string ReadinessPath = "/readyz";

    public static readonly CorsPolicy Permissive = new CorsPolicyBuilder()
        .AllowAnyOrigin()
        .AllowAnyMethod()
        .AllowAnyHeader()
        .WithExposedHeaders("*")
        .Build();

    private sealed record Built(string Origins, string Methods, string Headers, int MaxAge, CorsPolicy Policy);

    private volatile Built? _built;

    public CorsPolicy Configured
    {
        get
        {
            var cors = settings.Cors;
            var built = _built;
            if (built is null || built.Origins != cors.AllowedOrigins || built.Methods != cors.AllowedMethods
                || built.Headers != cors.AllowedHeaders || built.MaxAge != cors.MaxAgeSeconds)
            {
                var snapshot = new CorsSettings
                {
                    AllowedOrigins = cors.AllowedOrigins,
                    AllowedMethods = cors.AllowedMethods,
                    AllowedHeaders = cors.AllowedHeaders,
                    MaxAgeSeconds = cors.MaxAgeSeconds,
                };
                built = new Built(snapshot.AllowedOrigins, snapshot.AllowedMethods, snapshot.AllowedHeaders, snapshot.MaxAgeSeconds, FromSettings(snapshot));
                _built = built;
            }

            return built.Policy;
        }
    }

    public Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
        => Task.FromResult<CorsPolicy?>(context.Request.Path.Equals(ReadinessPath, StringComparison.OrdinalIgnoreCase) ? Permissive : Configured);

    /// <summary>Each list is a string split on commas; <c>*</c> allows any origin (any method, any header).</summary>
    public static CorsPolicy FromSettings(CorsSettings cors)
    {
        var builder = new CorsPolicyBuilder();
        var origins = List(cors.AllowedOrigins);
        if (origins.Contains("*"))
        {
            builder.AllowAnyOrigin();
        }
        else
        {
            builder.WithOrigins(origins);
        }

        var methods = List(cors.AllowedMethods);
        if (methods.Contains("*"))
        {
            builder.AllowAnyMethod();
        }
        else
        {
            builder.WithMethods(methods);
        }

        var headers = List(cors.AllowedHeaders);
        if (headers.Contains("*"))
        {
            builder.AllowAnyHeader();
        }
        else
        {
            builder.WithHeaders(headers);
        }

        return builder.SetPreflightMaxAge(TimeSpan.FromSeconds(Math.Max(0, cors.MaxAgeSeconds))).Build();
    }

    private static string[] List(string? value)
        => (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
