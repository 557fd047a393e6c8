using System.Diagnostics;
using Brokkr.Contracts.Audit;
using Mediator;

namespace Brokkr.Host.Configuration;

/// <summary>
/// Reloads the configuration when <c>BROKKR_CONFIG_FILE</c> changes (behaviour §12.1): active when that
/// file exists at start and <c>BROKKR_CONFIG_WATCHER_ENABLED</c> is not <c>false</c>/<c>0</c>. It watches the
/// file's directory, not the file, because editors and Kubernetes ConfigMaps replace the file (a rename,
/// or a swap of the <c>..data</c> link) rather than write into it, and reloads once the directory has
/// been quiet for <c>BROKKR_CONFIG_WATCHER_DEBOUNCE_SECONDS</c> (5). A reload that changed something is
/// audited as <c>config.reloaded</c> by <c>system</c>; one that cannot read the file is logged and changes nothing.
/// </summary>
internal sealed class ConfigFileWatcher(
    IConfiguration configuration,
    ConfigReloader reloader,
    IServiceScopeFactory scopes,
    ILogger<ConfigFileWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan DefaultDebounce = TimeSpan.FromSeconds(5);

    private long _lastEvent;
    private readonly SemaphoreSlim _signal = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var file = BrokkrConfiguration.ConfigFile(configuration);
        if (file is null || !File.Exists(file))
        {
            return;
        }

        if (!Enabled(configuration[BrokkrConfiguration.WatcherEnabledVariable]))
        {
            logger.LogInformation("Configuration file watcher disabled by {Variable}", BrokkrConfiguration.WatcherEnabledVariable);
            return;
        }

        var debounce = Debounce(configuration[BrokkrConfiguration.WatcherDebounceVariable]);
        var name = Path.GetFileName(file);
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(file)!)
        {
            IncludeSubdirectories = false,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        FileSystemEventHandler changed = (_, e) => OnEvent(e.Name, name);
        watcher.Changed += changed;
        watcher.Created += changed;
        watcher.Renamed += (_, e) =>
        {
            OnEvent(e.Name, name);
            OnEvent(e.OldName, name);
        };
        watcher.Error += (_, e) =>
        {
            logger.LogWarning(e.GetException(), "Configuration file watcher lost events; reloading to be sure");
            Signal();
        };
        watcher.EnableRaisingEvents = true;
        logger.LogInformation("Watching {File} for changes (reload after {Debounce} s of quiet)", file, debounce.TotalSeconds);

        while (!stoppingToken.IsCancellationRequested)
        {
            await _signal.WaitAsync(stoppingToken);
            TimeSpan wait;
            while ((wait = debounce - Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastEvent))) > TimeSpan.Zero)
            {
                await Task.Delay(wait, stoppingToken);
            }

            await ReloadAsync(stoppingToken);
        }
    }

    private void OnEvent(string? changed, string file)
    {
        // The file itself, or Kubernetes' atomic writer swapping the ..data link the file points through.
        if (changed is not null && (changed == file || changed.StartsWith("..", StringComparison.Ordinal)))
        {
            Signal();
        }
    }

    private void Signal()
    {
        Interlocked.Exchange(ref _lastEvent, Stopwatch.GetTimestamp());
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled: the pending reload will see this change too.
            }
        }
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await reloader.ReloadAsync("file watcher", cancellationToken);
            if (outcome.Changes.Count > 0)
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IPublisher>().Publish(ConfigAudit.Entry("system", outcome.Changes), cancellationToken);
            }
        }
        catch (ConfigurationInvalidException ex)
        {
            logger.LogError("The configuration file could not be read; the running settings are unchanged: {Error}", ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Reloading the configuration after a file change failed");
        }
    }

    internal static bool Enabled(string? value)
        => !(value?.Trim() is { } text && (text == "0" || text.Equals("false", StringComparison.OrdinalIgnoreCase)));

    internal static TimeSpan Debounce(string? value)
        => double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && seconds <= 3600
            ? TimeSpan.FromSeconds(seconds)
            : DefaultDebounce;
}

/// <summary>The audit entry of a reload (details §4.8): <c>{changes: [{key, old_value, new_value}]}</c>.</summary>
internal static class ConfigAudit
{
    public static AuditEntry Entry(string actorType, IReadOnlyList<ConfigChangeInfo> changes)
        => new(actorType, null, "config.reloaded", "config", null, new Dictionary<string, object?> { ["changes"] = changes });
}
