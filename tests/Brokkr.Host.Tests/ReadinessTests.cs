using System.Net;
using Brokkr.Testing;
using Npgsql;

namespace Brokkr.Host.Tests;

public sealed class ReadinessTests : IAsyncLifetime
{
    private readonly ProxiedApi _api = new();

    public Task InitializeAsync() => _api.InitializeAsync();

    public Task DisposeAsync() => _api.DisposeAsync();

    [Fact]
    public async Task Given_database_unreachable_then_readyz_is_503_and_recovers_by_itself()
    {
        var client = _api.Anonymous();
        (await client.GetAsync("/readyz")).StatusCode.ShouldBe(HttpStatusCode.OK);

        _api.Proxy.Stop();
        await Eventually(async () => (await client.GetAsync("/readyz")).StatusCode == HttpStatusCode.ServiceUnavailable);
        (await client.GetStringAsync("/healthz")).ShouldBe("OK");

        _api.Proxy.Start();
        await Eventually(async () => (await client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK);
        (await _api.Admin().GetAsync("/api/v1/paks")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Given_database_unreachable_then_api_answers_503_envelope()
    {
        var admin = _api.Admin();
        (await admin.GetAsync("/api/v1/paks")).StatusCode.ShouldBe(HttpStatusCode.OK);

        _api.Proxy.Stop();
        NpgsqlConnection.ClearAllPools();
        var response = await _api.WithPak(Brokkr.Shared.Auth.Pak.Generate().Value).GetAsync("/api/v1/paks");

        await response.ShouldFailAsync(HttpStatusCode.ServiceUnavailable, "database_unavailable");
        _api.Proxy.Start();
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not reached within 15 s");
            }

            await Task.Delay(200);
        }
    }

    private sealed class ProxiedApi : BrokkrApiFactory
    {
        public TcpProxy Proxy { get; private set; } = null!;

        protected override string BrokerDatabaseUrl(string connectionString)
        {
            if (Proxy is null)
            {
                var builder = new NpgsqlConnectionStringBuilder(connectionString);
                Proxy = new TcpProxy(builder.Host!, builder.Port);
                Proxy.Start();
            }

            return new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = Proxy.Port, Timeout = 2 }.ConnectionString;
        }
    }
}
