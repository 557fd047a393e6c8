using Brokkr.Shared.Json;
using Carter;
using FluentValidation;
using Mediator;

namespace Brokkr.Host.Api;

internal static class BrokkrApi
{
    public static void AddBrokkrApi(this WebApplicationBuilder builder)
    {
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
        builder.Services.AddBrokkrOpenApi();
        builder.Services.AddHttpContextAccessor();
    }
}
