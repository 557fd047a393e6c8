using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Brokkr.Webhooks.Tests.Support;

/// <summary>A second broker process on an existing database: a replica, or the broker after a restart.</summary>
public sealed class SameDatabaseFactory(string connectionString, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BrokkrApiFactory.AdminPak.Value);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Url", connectionString);
        builder.UseSetting("Broker:pak_hash", BrokkrApiFactory.AdminPak.Hash);
        builder.UseSetting("Log:Level", "warn");
        builder.UseSetting("Jobs:enabled", "false");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }
}
