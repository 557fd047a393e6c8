using System.Net.Http.Headers;
using Brokkr.Host.Data;
using Brokkr.Shared.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Brokkr.Testing;

/// <summary>
/// The real broker pipeline over a fresh PostgreSQL database (one per test class), with a known
/// admin PAK configured through <c>broker.pak_hash</c>.
/// </summary>
public class BrokkrApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public static readonly Pak AdminPak = Pak.Generate();

    private string _connectionString = string.Empty;

    public string ConnectionString => _connectionString;

    /// <summary>The database URL the broker is given; a test may route it through a <see cref="TcpProxy"/>.</summary>
    protected virtual string BrokerDatabaseUrl(string connectionString) => connectionString;

    /// <summary>Extra settings (configuration keys such as <c>Broker:auth_cache_ttl_seconds</c>).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    /// <summary>A fresh database cloned from the migrated template, for tests that start brokers of their own.</summary>
    public static Task<string> CreateMigratedDatabaseAsync() => TestDatabase.CreateAsync(MigrateAsync);

    public async Task InitializeAsync()
    {
        _connectionString = await TestDatabase.CreateAsync(MigrateAsync);
        await Services.BootstrapAsync(CancellationToken.None);
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await TestDatabase.DropAsync(_connectionString);
    }

    public HttpClient Admin() => WithPak(AdminPak.Value);

    public HttpClient Anonymous() => CreateClient();

    public HttpClient WithPak(string pak)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", pak);
        return client;
    }

    public HttpClient WithAuthorization(string rawHeader)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", rawHeader);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Url", BrokerDatabaseUrl(_connectionString));
        builder.UseSetting("Broker:pak_hash", AdminPak.Hash);
        builder.UseSetting("Log:Level", "warn");
        // No background jobs unless a test asks for them (Settings: Jobs:enabled=true).
        builder.UseSetting("Jobs:enabled", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    private static async Task MigrateAsync(string connectionString)
    {
        await using var factory = new MigrationFactory(connectionString);
        await factory.Services.MigrateAsync();
    }

    private sealed class MigrationFactory(string connectionString) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Database:Url", connectionString);
            // The entry point also bootstraps the admin; with the test's hash it mints no PAK and writes no file.
            builder.UseSetting("Broker:pak_hash", AdminPak.Hash);
            builder.UseSetting("Log:Level", "warn");
            builder.UseSetting("Jobs:enabled", "false");
        }
    }
}
