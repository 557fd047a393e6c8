using System.Text.RegularExpressions;
using Npgsql;

namespace Brokkr.Shared.Data;

public static partial class ConnectionStrings
{
    /// <summary>Accepts <c>postgres://user:pass@host:port/db?opt=v</c> and plain Npgsql connection strings.</summary>
    public static string ToNpgsql(string url, string? schema = null, int maxPoolSize = 50)
    {
        NpgsqlConnectionStringBuilder builder;
        if (url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            var uri = new Uri(url);
            builder = new NpgsqlConnectionStringBuilder
            {
                Host = string.IsNullOrEmpty(uri.Host) ? "localhost" : uri.Host,
                Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
                Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : "postgres",
            };
            if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                var parts = uri.UserInfo.Split(':', 2);
                builder.Username = Uri.UnescapeDataString(parts[0]);
                if (parts.Length == 2)
                {
                    builder.Password = Uri.UnescapeDataString(parts[1]);
                }
            }

            foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var kv = pair.Split('=', 2);
                var key = Uri.UnescapeDataString(kv[0]);
                var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
                if (key.Equals("sslmode", StringComparison.OrdinalIgnoreCase))
                {
                    builder.SslMode = Enum.Parse<SslMode>(value, ignoreCase: true);
                }
                else if (key.Equals("host", StringComparison.OrdinalIgnoreCase))
                {
                    builder.Host = value;
                }
            }
        }
        else
        {
            builder = new NpgsqlConnectionStringBuilder(url);
        }

        if (!string.IsNullOrEmpty(schema))
        {
            builder.SearchPath = $"{ValidateSchema(schema)},public";
        }

        if (!url.Contains("Maximum Pool Size", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxPoolSize = maxPoolSize;
        }

        builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    /// <summary>A schema name: first an ASCII letter, then letters, digits or underscores, at most 63 characters.</summary>
    public static string ValidateSchema(string schema)
    {
        if (!SchemaName().IsMatch(schema))
        {
            throw new ArgumentException($"Invalid database schema name '{schema}': use an ASCII letter followed by letters, digits or underscores (at most 63).");
        }

        return schema;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
