using Brokkr.Host.Jobs;
using Brokkr.Host.Observability;
using Brokkr.Shared.Configuration;
using Serilog.Core;

namespace Brokkr.Host.Configuration;

/// <summary>A reload that could not read the configuration: nothing was applied.</summary>
internal sealed class ConfigurationInvalidException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// Re-reads the configuration exactly as startup composed it (the same sources in the same order:
/// defaults, <c>BROKKR_CONFIG_FILE</c>, <c>BROKKR__*</c> variables, ...) into a fresh configuration, and
/// applies the dynamic settings (<see cref="DynamicSettings"/>) that changed to the live
/// <see cref="BrokkrSettings"/>: the log level switch, CORS (read per request), job intervals
/// (rescheduled in the shared store) and the values jobs read on each run. All or nothing: a file that
/// does not parse or a value that does not bind changes nothing. One reload at a time.
/// </summary>
internal sealed class ConfigReloader(
    IConfiguration configuration,
    BrokkrSettings settings,
    LoggingLevelSwitch level,
    ScheduledJobs jobs,
    IServiceProvider services,
    TimeProvider clock,
    ILogger<ConfigReloader> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public sealed record Outcome(DateTime ReloadedAt, IReadOnlyList<ConfigChangeInfo> Changes);

    public async Task<Outcome> ReloadAsync(string trigger, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var next = Read();
            var changes = DynamicSettings.Diff(settings, next);
            DynamicSettings.Apply(settings, next, changes);
            if (changes.Any(c => c.Key == "log.level"))
            {
                level.MinimumLevel = BrokkrObservability.ParseLevel(settings.Log.Level);
            }

            var rescheduled = jobs.Refresh(settings);
            if (rescheduled.Count > 0 && services.GetService<JobSynchronizer>() is { } synchronizer)
            {
                // Not cancelled with the request: the settings are applied already, the store must follow them.
                await synchronizer.ResynchronizeAsync(CancellationToken.None);
            }

            if (changes.Count > 0)
            {
                logger.LogInformation("Configuration reloaded ({Trigger}): {Changes}", trigger,
                    string.Join(", ", changes.Select(c => $"{c.Key} {c.OldValue} -> {c.NewValue}")));
            }
            else
            {
                logger.LogInformation("Configuration reloaded ({Trigger}): no changes", trigger);
            }

            return new Outcome(clock.GetUtcNow().UtcDateTime, changes);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The settings as the configuration sources say now, read without touching the live configuration.</summary>
    private BrokkrSettings Read()
    {
        var builder = new ConfigurationBuilder();
        var sources = (configuration as IConfigurationBuilder)?.Sources
            ?? throw new InvalidOperationException("The broker's configuration does not expose its sources; it cannot be reloaded.");
        foreach (var source in sources)
        {
            // A chained configuration is shared with the live one: the fresh copy must never dispose it.
            builder.Add(source is ChainedConfigurationSource { Configuration: { } shared }
                ? new ChainedConfigurationSource { Configuration = shared, ShouldDisposeConfiguration = false }
                : source);
        }

        IConfigurationRoot? fresh = null;
        try
        {
            fresh = builder.Build();
            return BrokkrSettings.From(fresh);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new ConfigurationInvalidException(Describe(ex), ex);
        }
        finally
        {
            (fresh as IDisposable)?.Dispose();
        }
    }

    private static string Describe(Exception ex)
    {
        var messages = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
        {
            var message = e.Message.Trim().TrimEnd('.');
            if (!messages.Contains(message))
            {
                messages.Add(message);
            }
        }

        return string.Join(": ", messages);
    }
}
