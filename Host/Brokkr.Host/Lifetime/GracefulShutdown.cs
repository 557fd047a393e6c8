using Brokkr.Shared.Configuration;

namespace Brokkr.Host.Lifetime;

/// <summary>
/// How the broker stops on SIGTERM or SIGINT (ADR 0020), in this order:
/// <list type="number">
/// <item><c>ApplicationStopping</c> fires. Modules that hold long-lived requests (WebSockets) register on
/// it to start closing them with a close frame, without blocking; the requests then end on their own.</item>
/// <item>The hosted services stop in the reverse order of their start. The web server started last, so it
/// stops first: it stops accepting connections and waits for the requests in flight (those WebSockets
/// included) up to <c>broker.shutdown_timeout_seconds</c> (30), then aborts what is left.</item>
/// <item>The scheduler stops and waits for the jobs running on this replica; the other services stop.</item>
/// <item><c>ApplicationStopped</c> fires; the host is disposed, which flushes and closes the logger and
/// closes the database connection pool (the <c>NpgsqlDataSource</c>).</item>
/// </list>
/// </summary>
internal static class GracefulShutdown
{
    public static void AddBrokkrShutdown(this WebApplicationBuilder builder)
    {
        var timeout = TimeSpan.FromSeconds(Math.Clamp(BrokkrSettings.From(builder.Configuration).Broker.ShutdownTimeoutSeconds, 1, 3600));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = timeout);
        builder.Services.AddHostedService(sp => new ShutdownLog(sp.GetRequiredService<IHostApplicationLifetime>(), timeout, sp.GetRequiredService<ILogger<ShutdownLog>>()));
    }
}

/// <summary>Says when a stop begins and when it is done, so an operator sees the drain in the log.</summary>
internal sealed class ShutdownLog(IHostApplicationLifetime lifetime, TimeSpan timeout, ILogger<ShutdownLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(() => logger.LogInformation(
            "Stopping: no new connections; waiting up to {Timeout} s for requests in flight and running jobs", timeout.TotalSeconds));
        lifetime.ApplicationStopped.Register(() => logger.LogInformation("Stopped: requests finished, jobs stopped; closing the database pool"));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
