using Npgsql;
using Testcontainers.PostgreSql;

namespace Brokkr.Testing;

/// <summary>
/// The PostgreSQL server the tests use: <c>BROKKR_TEST_DATABASE_URL</c> (set by eng/test), or a
/// Testcontainers container when Docker is available. Each test class gets a fresh database
/// cloned from a migrated template.
/// </summary>
public static class TestDatabase
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _serverConnectionString;
    private static PostgreSqlContainer? _container;
    private static string? _template;

    public static async Task<string> CreateAsync(Func<string, Task> migrate)
    {
        var server = await ServerAsync();
        var template = await TemplateAsync(server, migrate);
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync(server, $"CREATE DATABASE {name} TEMPLATE {template}");
        return new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 20 }.ConnectionString;
    }

    /// <summary>A fresh database with no migrations applied, for tests of migrating itself.</summary>
    public static async Task<string> CreateEmptyAsync()
    {
        var server = await ServerAsync();
        var name = "e_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync(server, $"CREATE DATABASE {name}");
        return new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 20 }.ConnectionString;
    }

    public static async Task DropAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        try
        {
            await ExecuteAsync(await ServerAsync(), $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
        catch (NpgsqlException)
        {
            // Best effort: the throwaway server is removed after the run anyway.
        }
    }

    public static async Task<string> ServerAsync()
    {
        if (_serverConnectionString is not null)
        {
            return _serverConnectionString;
        }

        await Gate.WaitAsync();
        try
        {
            if (_serverConnectionString is not null)
            {
                return _serverConnectionString;
            }

            var url = Environment.GetEnvironmentVariable("BROKKR_TEST_DATABASE_URL");
            if (!string.IsNullOrWhiteSpace(url))
            {
                _serverConnectionString = Shared.Data.ConnectionStrings.ToNpgsql(url);
            }
            else
            {
                _container = new PostgreSqlBuilder("postgres:15").Build();
                await _container.StartAsync();
                _serverConnectionString = _container.GetConnectionString();
            }

            return _serverConnectionString;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<string> TemplateAsync(string server, Func<string, Task> migrate)
    {
        if (_template is not null)
        {
            return _template;
        }

        await Gate.WaitAsync();
        try
        {
            if (_template is not null)
            {
                return _template;
            }

            var name = "tpl_" + Guid.NewGuid().ToString("N")[..16];
            await ExecuteAsync(server, $"CREATE DATABASE {name}");
            await migrate(new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString);
            NpgsqlConnection.ClearAllPools();
            _template = name;
            return name;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
