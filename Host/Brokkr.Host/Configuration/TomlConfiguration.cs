using System.Globalization;
using Tomlyn;
using Tomlyn.Model;

namespace Brokkr.Host.Configuration;

/// <summary>
/// A TOML file as a configuration source (<c>[section] key = value</c> → <c>section:key</c>; an array is
/// one comma-separated value, as the reference reads its lists). A file provider, not values copied
/// once, so that a reload reads the file again.
/// </summary>
internal sealed class TomlConfigurationSource : FileConfigurationSource
{
    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new TomlConfigurationProvider(this);
    }
}

internal sealed class TomlConfigurationProvider(TomlConfigurationSource source) : FileConfigurationProvider(source)
{
    public override void Load(Stream stream)
    {
        using var reader = new StreamReader(stream);
        Data = Read(reader.ReadToEnd());
    }

    public static Dictionary<string, string?> Read(string text)
    {
        var model = TomlSerializer.Deserialize<TomlTable>(text) ?? new TomlTable();
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        Flatten(model, prefix: null, values);
        return values;
    }

    private static void Flatten(TomlTable table, string? prefix, Dictionary<string, string?> into)
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
                    into[path] = string.Join(',', array.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));
                    break;
                default:
                    into[path] = Convert.ToString(value, CultureInfo.InvariantCulture);
                    break;
            }
        }
    }
}
