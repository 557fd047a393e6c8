using Brokkr.Shared.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;

namespace Brokkr.Host.Configuration;

internal static class BrokkrConfiguration
{
    public const string FileVariable = "BROKKR_CONFIG_FILE";
    public const string WatcherEnabledVariable = "BROKKR_CONFIG_WATCHER_ENABLED";
    public const string WatcherDebounceVariable = "BROKKR_CONFIG_WATCHER_DEBOUNCE_SECONDS";

    /// <summary>
    /// Defaults, then the optional <c>BROKKR_CONFIG_FILE</c> (TOML or JSON by extension), then
    /// <c>BROKKR__SECTION__KEY</c> variables, later winning, as in the reference. The file is a source
    /// that reads it again on every build, so <see cref="ConfigReloader"/> re-reads everything the way
    /// startup did; a file that does not exist yet contributes nothing.
    /// </summary>
    public static void AddBrokkrConfiguration(this WebApplicationBuilder builder)
    {
        if (ConfigFile(builder.Configuration) is { } file && Directory.Exists(Path.GetDirectoryName(file)))
        {
            ((IConfigurationBuilder)builder.Configuration).Add(FileSource(file));
        }

        builder.Configuration.AddEnvironmentVariables("BROKKR__");
        builder.Services.AddSingleton(sp => BrokkrSettings.From(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton<ConfigReloader>();
        builder.Services.AddHostedService<ConfigFileWatcher>();
    }

    /// <summary>
    /// The full path of <c>BROKKR_CONFIG_FILE</c>: a plain environment variable, which the host's
    /// configuration also carries (so a test host can set it as a setting).
    /// </summary>
    public static string? ConfigFile(IConfiguration configuration)
    {
        var file = configuration[FileVariable] ?? Environment.GetEnvironmentVariable(FileVariable);
        return string.IsNullOrWhiteSpace(file) ? null : Path.GetFullPath(file);
    }

    private static FileConfigurationSource FileSource(string path)
    {
        FileConfigurationSource source = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            ? new JsonConfigurationSource()
            : new TomlConfigurationSource();
        source.Path = Path.GetFileName(path);
        source.Optional = true;
        source.ReloadOnChange = false;
        source.FileProvider = new PhysicalFileProvider(Path.GetDirectoryName(path)!, ExclusionFilters.None);
        return source;
    }
}
