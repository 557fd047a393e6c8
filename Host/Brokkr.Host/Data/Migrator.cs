using System.Reflection;
using Brokkr.Shared.Configuration;
using Brokkr.Shared.Data;
using DbUp;
using DbUp.Engine;
using DbUp.Engine.Output;
using Npgsql;

namespace Brokkr.Host.Data;

/// <summary>
/// Applies every module's SQL files, and the Host's own (the scheduler's tables), in the order of
/// their file names (numbers are global across modules), once per database, serialised across
/// replicas by an advisory lock.
/// </summary>
internal static class Migrator
{
    private const long LockKey = 0x6272_6f6b_6b72; // "brokkr"

    /// <summary>The assemblies whose embedded <c>Migrations/*.sql</c> make up the schema: every module, then the Host.</summary>
    public static IEnumerable<Assembly> Sources => ModuleRegistry.Assemblies.Append(typeof(Migrator).Assembly);

    public static IReadOnlyList<SqlScript> Scripts(IEnumerable<Assembly> assemblies)
        => assemblies
            .SelectMany(assembly => assembly.GetManifestResourceNames()
                .Where(name => name.Contains(".Migrations.", StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
                .Select(name =>
                {
                    using var stream = assembly.GetManifestResourceStream(name)!;
                    using var reader = new StreamReader(stream);
                    return new SqlScript(name[(name.IndexOf(".Migrations.", StringComparison.Ordinal) + 12)..], reader.ReadToEnd());
                }))
            .OrderBy(script => script.Name, StringComparer.Ordinal)
            .ToList();

    public static async Task MigrateAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var settings = services.GetRequiredService<BrokkrSettings>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Brokkr.Migrations");
        var schema = string.IsNullOrEmpty(settings.Database.Schema) ? "public" : ConnectionStrings.ValidateSchema(settings.Database.Schema);
        var connectionString = ConnectionStrings.ToNpgsql(settings.Database.Url, settings.Database.Schema, maxPoolSize: 4);

        await using var lockConnection = new NpgsqlConnection(connectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await using (var command = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey}); CREATE SCHEMA IF NOT EXISTS \"{schema}\";", lockConnection))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var result = DeployChanges.To
                .PostgresqlDatabase(connectionString, schema)
                .WithScripts(Scripts(Sources))
                .JournalToPostgresqlTable(schema, "schema_migrations")
                .WithTransactionPerScript()
                .LogTo(new UpgradeLog(logger))
                .Build()
                .PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed: {result.Error.Message}", result.Error);
            }
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", lockConnection);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private sealed class UpgradeLog(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => logger.LogTrace(format, args);
        public void LogDebug(string format, params object[] args) => logger.LogDebug(format, args);
        public void LogInformation(string format, params object[] args) => logger.LogInformation(format, args);
        public void LogWarning(string format, params object[] args) => logger.LogWarning(format, args);
        public void LogError(string format, params object[] args) => logger.LogError(format, args);
        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, format, args);
    }
}
