using Brokkr.Host.Api;
using Brokkr.Host.Configuration;
using Brokkr.Host.Data;
using Brokkr.Host.Jobs;
using Brokkr.Host.Lifetime;
using Brokkr.Host.Observability;
using Microsoft.Extensions.Configuration.Memory;

namespace Brokkr.Host;

/// <summary>The broker: configuration, observability, data, modules, then the HTTP pipeline.</summary>
public static class BrokkrApp
{
    public static WebApplication Build(string[] args) => Build(args, forCommand: false);

    /// <summary>The broker with extra services, for tests that run it on a real port (Kestrel) and add jobs of their own.</summary>
    internal static WebApplication Build(string[] args, Action<IServiceCollection> configureServices)
        => Build(args, forCommand: false, configureServices);

    /// <summary>
    /// The same application for a one-shot host command, whose services are used without starting
    /// the server: logs go to standard error and default to <c>warn</c>, so standard output carries
    /// only the command's result.
    /// </summary>
    internal static WebApplication BuildForCommand(string[] args) => Build(args, forCommand: true);

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
        // Returns on SIGTERM or SIGINT once the host has stopped and been disposed (GracefulShutdown).
        await app.RunAsync();
        Console.WriteLine("Brokkr broker stopped");
        return 0;
    }

    private static WebApplication Build(string[] args, bool forCommand, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (forCommand)
        {
            // First source, so that a level from the file, the environment or the arguments still wins.
            builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
            {
                InitialData = [new KeyValuePair<string, string?>("Log:Level", "warn")],
            });
        }

        builder.AddBrokkrConfiguration();
        builder.AddBrokkrObservability(logToStandardError: forCommand);
        builder.AddBrokkrData();
        builder.AddBrokkrModules();
        builder.AddBrokkrApi();
        builder.AddBrokkrJobs(forCommand);
        builder.AddBrokkrShutdown();
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseBrokkrPipeline();
        return app;
    }
}
