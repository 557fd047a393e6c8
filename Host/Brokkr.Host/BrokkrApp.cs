using Brokkr.Host.Api;
using Brokkr.Host.Configuration;
using Brokkr.Host.Data;
using Brokkr.Host.Observability;

namespace Brokkr.Host;

/// <summary>The broker: configuration, observability, data, modules, then the HTTP pipeline.</summary>
public static class BrokkrApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddBrokkrConfiguration();
        builder.AddBrokkrObservability();
        builder.AddBrokkrData();
        builder.AddBrokkrModules();
        builder.AddBrokkrApi();

        var app = builder.Build();
        app.UseBrokkrPipeline();
        return app;
    }

    public static async Task<int> ServeAsync(string[] args)
    {
        var app = Build(args);
        await app.Services.MigrateAsync(app.Lifetime.ApplicationStopping);
        await app.Services.BootstrapAsync(app.Lifetime.ApplicationStopping);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var url in app.Urls)
            {
                Console.WriteLine($"Brokkr broker listening on {url} (API docs: {url.TrimEnd('/')}/docs)");
            }
        });
        await app.RunAsync();
        return 0;
    }
}
