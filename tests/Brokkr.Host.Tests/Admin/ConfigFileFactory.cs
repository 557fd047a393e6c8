using Brokkr.Testing;

namespace Brokkr.Host.Tests.Admin;

/// <summary>
/// The broker with <c>BROKKR_CONFIG_FILE</c> naming a TOML file of its own (in a directory of its own),
/// written before the broker starts. The file watcher is off unless a subclass turns it on.
/// </summary>
public class ConfigFileFactory : BrokkrApiFactory
{
    public const string InitialToml = """
        [log]
        level = "warn"

        [cors]
        allowed_origins = "http://localhost:3001"
        max_age_seconds = 3600

        [broker]
        diagnostic_cleanup_interval_seconds = 900
        """;

    public ConfigFileFactory()
        : this("brokkr.toml", InitialToml)
    {
    }

    protected ConfigFileFactory(string fileName, string initialContent)
    {
        Directory.CreateDirectory(DirectoryPath);
        FilePath = Path.Combine(DirectoryPath, fileName);
        File.WriteAllText(FilePath, initialContent);
    }

    public string DirectoryPath { get; } = Path.Combine(Path.GetTempPath(), "brokkr-config-" + Guid.NewGuid().ToString("N")[..12]);

    public string FilePath { get; }

    protected virtual bool Watch => false;

    protected virtual IReadOnlyDictionary<string, string> MoreSettings => new Dictionary<string, string>();

    protected sealed override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(MoreSettings)
    {
        ["BROKKR_CONFIG_FILE"] = FilePath,
        ["BROKKR_CONFIG_WATCHER_ENABLED"] = Watch ? "true" : "false",
        ["BROKKR_CONFIG_WATCHER_DEBOUNCE_SECONDS"] = "0.3",
    };

    /// <summary>Replaces the file the way editors and ConfigMaps do: a new file renamed over the old one.</summary>
    public void Replace(string content)
    {
        var temporary = Path.Combine(DirectoryPath, "." + Path.GetFileName(FilePath) + ".tmp");
        File.WriteAllText(temporary, content);
        File.Move(temporary, FilePath, overwrite: true);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(DirectoryPath))
        {
            Directory.Delete(DirectoryPath, recursive: true);
        }
    }
}
