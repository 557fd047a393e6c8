using System.Globalization;
using Microsoft.Extensions.Configuration;
using Tomlyn;
using Tomlyn.Model;

namespace Brokkr.Agent.Configuration;

/// <summary>
/// The reference's loading order, later winning: built-in defaults, the optional
/// <c>BROKKR_CONFIG_FILE</c> (TOML, or JSON by extension), then <c>BROKKR__SECTION__KEY</c> variables.
/// </summary>
internal static class AgentConfiguration
{
    public const string ConfigFileVariable = "BROKKR_CONFIG_FILE";
    public const string LegacyGeneratorIdsVariable = "BROKKR_GENERATOR_IDS";

    public static void AddBrokkrSources(IConfigurationBuilder configuration, Func<string, string?> environment)
    {
        var file = environment(ConfigFileVariable);
        if (!string.IsNullOrWhiteSpace(file))
        {
            if (!File.Exists(file))
            {
                throw new InvalidOperationException($"{ConfigFileVariable} names '{file}', which does not exist");
            }

            if (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                configuration.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
            }
            else
            {
                configuration.AddInMemoryCollection(ReadToml(File.ReadAllText(file)));
            }
        }

        configuration.AddEnvironmentVariables("BROKKR__");
    }

    public static AgentOptions Bind(IConfiguration configuration)
    {
        var options = new AgentOptions();
        configuration.GetSection("agent").Bind(options);
        return options;
    }

    public static IEnumerable<KeyValuePair<string, string?>> ReadToml(string text)
    {
        var model = TomlSerializer.Deserialize<TomlTable>(text) ?? new TomlTable();
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
                    into.Add(new(path, string.Join(',', array.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)))));
                    break;
                default:
                    into.Add(new(path, Convert.ToString(value, CultureInfo.InvariantCulture)));
                    break;
            }
        }
    }
}
