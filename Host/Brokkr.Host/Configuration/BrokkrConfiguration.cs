using Brokkr.Shared.Configuration;
using Tomlyn;
using Tomlyn.Model;

namespace Brokkr.Host.Configuration;

internal static class BrokkrConfiguration
{
    /// <summary>
    /// Defaults, then the optional <c>BROKKR_CONFIG_FILE</c> (TOML or JSON by extension), then
    /// <c>BROKKR__SECTION__KEY</c> variables, later winning, as in the reference.
    /// </summary>
    public static void AddBrokkrConfiguration(this WebApplicationBuilder builder)
    {
        var file = Environment.GetEnvironmentVariable("BROKKR_CONFIG_FILE");
        if (!string.IsNullOrWhiteSpace(file) && File.Exists(file))
        {
            if (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: true, reloadOnChange: false);
            }
            else
            {
                builder.Configuration.AddInMemoryCollection(ReadToml(file));
            }
        }

        builder.Configuration.AddEnvironmentVariables("BROKKR__");
        builder.Services.AddSingleton(sp => BrokkrSettings.From(sp.GetRequiredService<IConfiguration>()));
    }

    public static IEnumerable<KeyValuePair<string, string?>> ReadToml(string path)
    {
        var model = TomlSerializer.Deserialize<TomlTable>(File.ReadAllText(path)) ?? new TomlTable();
        var values = new List<KeyValuePair<string, string?>>();
        Flatten(model, prefix: null, values);
        return values;
    }

    private static void Flatten(TomlTable table, string? prefix, List<KeyValuePair<string, string?>> into)
    {
        foreach (var (key, value) in table)
        {
            var path = prefix is null ? key : $"{prefix}:{key}";
            switch (value)
            {
                case TomlTable nested:
                    Flatten(nested, path, into);
                    break;
                case TomlArray array:
                    into.Add(new(path, string.Join(',', array.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)))));
                    break;
                default:
                    into.Add(new(path, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)));
                    break;
            }
        }
    }
}
