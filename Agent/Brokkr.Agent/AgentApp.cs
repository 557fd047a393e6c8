using Brokkr.Agent.Broker;
using Brokkr.Agent.Configuration;
using Brokkr.Agent.Health;
using Brokkr.Agent.Kubernetes;
using Brokkr.Agent.Loop;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent;

/// <summary>How a test (or <see cref="Program"/>) builds an agent: settings on top of the usual sources.</summary>
internal sealed class AgentAppOptions
{
    public string[] Args { get; init; } = [];

    /// <summary>Environment lookup; the process environment unless a test replaces it.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Configuration keys (<c>agent:broker_url</c>, ...) applied after every other source.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Read the <c>BROKKR__*</c> variables of the process (off in tests).</summary>
    public bool UseEnvironmentVariables { get; init; } = true;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Replaces the REST client (tests).</summary>
    public Func<AgentOptions, IBrokerClient>? Broker { get; init; }
}

/// <summary>
/// The agent process: a worker (start-up, then the loops) and the health server on
/// <c>agent.health_port</c>, in one generic host.
/// </summary>
internal static class AgentApp
{
    public static WebApplication Build(AgentAppOptions appOptions)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = appOptions.Args });
        builder.Configuration.Sources.Clear();
        if (appOptions.UseEnvironmentVariables)
        {
            AgentConfiguration.AddBrokkrSources(builder.Configuration, appOptions.Environment);
        }

        builder.Configuration.AddInMemoryCollection(appOptions.Settings);
        var options = AgentConfiguration.Bind(builder.Configuration);

        ConfigureLogging(builder.Logging, builder.Configuration);
        builder.WebHost.UseKestrel(kestrel => kestrel.ListenAnyIP(options.HealthPort));
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(30));

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(appOptions.Time);
        builder.Services.AddSingleton<AgentRuntime>();
        builder.Services.AddSingleton<AgentMetrics>();
        builder.Services.AddSingleton<IBrokerClient>(_ => appOptions.Broker?.Invoke(options) ?? new BrokerClient(new Uri(options.BrokerUrl), options.Pak ?? string.Empty));
        builder.Services.AddSingleton(sp => new AgentStartup(
            options,
            sp.GetRequiredService<IBrokerClient>(),
            () => new KubeApi(KubeConnection.Resolve(options.KubeconfigPath, appOptions.Environment).Configuration) { Metrics = sp.GetRequiredService<AgentMetrics>() },
            appOptions.Environment,
            appOptions.Time,
            sp.GetRequiredService<ILogger<AgentStartup>>()));
        builder.Services.AddSingleton<AgentWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AgentWorker>());

        var app = builder.Build();
        HealthEndpoints.Map(app);
        return app;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, IConfiguration configuration)
    {
        var level = (configuration["log:level"] ?? "info").ToLowerInvariant() switch
        {
            "off" => LogLevel.None,
            "error" => LogLevel.Error,
            "warn" or "warning" => LogLevel.Warning,
            "debug" => LogLevel.Debug,
            "trace" => LogLevel.Trace,
            _ => LogLevel.Information,
        };
        logging.ClearProviders();
        if (string.Equals(configuration["log:format"], "json", StringComparison.OrdinalIgnoreCase))
        {
            logging.AddJsonConsole();
        }
        else
        {
            logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                console.UseUtcTimestamp = true;
            });
        }

        logging.SetMinimumLevel(level);
        logging.AddFilter("Microsoft", level > LogLevel.Warning ? level : LogLevel.Warning);
        logging.AddFilter("System.Net.Http", level > LogLevel.Warning ? level : LogLevel.Warning);
    }
}
