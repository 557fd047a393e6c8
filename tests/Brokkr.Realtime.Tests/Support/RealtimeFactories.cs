using Brokkr.Realtime;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Brokkr.Realtime.Tests.Support;

/// <summary>The broker with the realtime intervals tests drive themselves (no fleet sweep on a timer).</summary>
public class RealtimeApiFactory : BrokkrApiFactory
{
    internal static RealtimeOptions Options { get; } = new()
    {
        FleetSweepInterval = TimeSpan.FromHours(1),
        CloseTimeout = TimeSpan.FromSeconds(2),
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton(Options));
    }
}

/// <summary>Another broker replica, in this process, on the database of <paramref name="first"/>.</summary>
public sealed class ReplicaFactory(BrokkrApiFactory first) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Url", first.ConnectionString);
        builder.UseSetting("Broker:pak_hash", BrokkrApiFactory.AdminPak.Hash);
        builder.UseSetting("Log:Level", "warn");
        builder.UseSetting("Jobs:enabled", "false");
        builder.ConfigureTestServices(services => services.AddSingleton(RealtimeApiFactory.Options));
    }
}

/// <summary>Two replicas on one database: <see cref="First"/> (with the test database) and <see cref="Second"/>.</summary>
public sealed class TwoReplicas : IAsyncLifetime
{
    public RealtimeApiFactory First { get; } = new();

    public ReplicaFactory Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await First.InitializeAsync();
        Second = new ReplicaFactory(First);
        await Second.ReadyAsync();
        // Each replica's row is in the table before a test asks one about the other.
        await First.TickAsync();
        await Second.TickAsync();
    }

    public async Task DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
    }
}
