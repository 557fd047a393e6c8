using System.Net.Http.Headers;
using Brokkr.Host.Data;
using Brokkr.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Brokkr.Host.Tests.Jobs;

/// <summary>
/// A real broker on a loopback port (Kestrel, not the test server), built as <c>serve</c> builds it,
/// migrated and bootstrapped, on the given database. Several of them on one database are replicas.
/// </summary>
internal sealed class KestrelBroker : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _disposed;

    private KestrelBroker(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<KestrelBroker> StartAsync(string connectionString, IReadOnlyDictionary<string, string>? settings = null, Action<IServiceCollection>? services = null)
    {
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            $"--Database:Url={connectionString}",
            $"--Broker:pak_hash={BrokkrApiFactory.AdminPak.Hash}",
            "--Log:Level=warn",
        };
        args.AddRange((settings ?? new Dictionary<string, string>()).Select(s => $"--{s.Key}={s.Value}"));
        var app = BrokkrApp.Build([.. args], s => services?.Invoke(s));
        using var startup = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.Services.MigrateAsync(startup.Token);
        await app.Services.BootstrapAsync(startup.Token);
        await app.StartAsync(startup.Token);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new KestrelBroker(app, new Uri(address));
    }

    /// <summary>This replica's id in the scheduler cluster (generated: host name and start time).</summary>
    public async Task<string> InstanceIdAsync()
        => (await _app.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler()).SchedulerInstanceId;

    public HttpClient Admin()
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BrokkrApiFactory.AdminPak.Value);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(shutdown.Token);
        await _app.DisposeAsync();
    }
}
