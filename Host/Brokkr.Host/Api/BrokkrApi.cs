using Brokkr.Shared.Json;
using Carter;
using FluentValidation;
using Mediator;

namespace Brokkr.Host.Api;

internal static class BrokkrApi
{
    public const string DefaultUrl = "http://0.0.0.0:3000";

    public static void AddBrokkrApi(this WebApplicationBuilder builder)
    {
        if (!HasConfiguredAddress(builder.Configuration))
        {
            // The reference broker listens on 0.0.0.0:3000 and agents default to port 3000.
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.ConfigureKestrel(o =>
        {
            o.AddServerHeader = false;
            o.Limits.MaxRequestBodySize = RequestBody.MaxBytes;
        });
        builder.Services.ConfigureHttpJsonOptions(o => BrokkrJson.Configure(o.SerializerOptions));
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        builder.Services.AddMediator((MediatorOptions options) =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.PipelineBehaviors =
            [
                typeof(LoggingBehavior<,>),
                typeof(ValidationBehavior<,>),
                typeof(TransactionBehavior<,>),
            ];
        });
        foreach (var assembly in ModuleRegistry.Assemblies)
        {
            builder.Services.AddValidatorsFromAssembly(assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        }

        builder.Services.AddCarter(configurator: c => c.WithModules(ModuleRegistry.Assemblies
            .SelectMany(a => a.GetTypes())
            .Where(t => typeof(ICarterModule).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .ToArray()));
        builder.Services.AddBrokkrCors();
        builder.Services.AddBrokkrOpenApi();
        builder.Services.AddHttpContextAccessor();
        // Use cases take the clock from here so tests can drive retry and expiry timing.
        builder.Services.AddSingleton(TimeProvider.System);
    }

    /// <summary>ASPNETCORE_URLS or --urls, ASPNETCORE_HTTP(S)_PORTS, or Kestrel endpoints in the configuration.</summary>
    private static bool HasConfiguredAddress(IConfiguration configuration)
        => !string.IsNullOrEmpty(configuration["urls"])
            || !string.IsNullOrEmpty(configuration["http_ports"])
            || !string.IsNullOrEmpty(configuration["https_ports"])
            || configuration.GetSection("Kestrel:Endpoints").Exists();
}
