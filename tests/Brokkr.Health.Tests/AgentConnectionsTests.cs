using Brokkr.Contracts.Fleet;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Brokkr.Health.Tests;

/// <summary>WebSocket presence comes from whatever <see cref="IAgentConnections"/> the realtime module registers.</summary>
public sealed class AgentConnectionsTests(AgentConnectionsTests.ConnectedFactory api) : IClassFixture<AgentConnectionsTests.ConnectedFactory>
{
    [Fact]
    public async Task A_registered_connection_source_fills_ws_connected_and_connected_since()
    {
        var given = new Scenario(api);
        var connected = await given.AgentAsync();
        var offline = await given.AgentAsync();
        var since = new DateTime(2025, 1, 2, 3, 4, 5, 120, DateTimeKind.Utc);
        api.Connections.Connected[connected.Id] = since;

        var fleet = await api.FleetAsync();

        fleet[connected.Id]["ws_connected"]!.GetValue<bool>().ShouldBeTrue();
        fleet[connected.Id].Str("connected_since").ShouldBe("2025-01-02T03:04:05.120Z");
        fleet[offline.Id]["ws_connected"]!.GetValue<bool>().ShouldBeFalse();
        fleet[offline.Id]["connected_since"].ShouldBeNull();
        (await api.RecordAsync(connected.Id))["ws_connected"]!.GetValue<bool>().ShouldBeTrue();
    }

    public sealed class ConnectedFactory : BrokkrApiFactory
    {
        public FakeConnections Connections { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IAgentConnections>(Connections));
        }
    }

    public sealed class FakeConnections : IAgentConnections
    {
        public System.Collections.Concurrent.ConcurrentDictionary<Guid, DateTime> Connected { get; } = new();

        public bool TryGetConnectedSince(Guid agentId, out DateTime connectedSince) => Connected.TryGetValue(agentId, out connectedSince);
    }
}
