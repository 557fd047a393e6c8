using System.Collections.Concurrent;
using Brokkr.Replicas.Tests.Support;
using Npgsql;

namespace Brokkr.Replicas.Tests;

/// <summary>Two replicas reach PostgreSQL through a proxy the test cuts and restores.</summary>
public sealed class ProxiedReplicaSet : ReplicaSet
{
    private TcpProxy? _proxy;

    public TcpProxy Proxy => _proxy!;

    protected override int Count => 2;

    protected override string BrokerConnectionString
    {
        get
        {
            var direct = new NpgsqlConnectionStringBuilder(ConnectionString);
            if (_proxy is null)
            {
                _proxy = new TcpProxy(direct.Host!, direct.Port);
                _proxy.Start();
            }

            return new NpgsqlConnectionStringBuilder(ConnectionString) { Host = "127.0.0.1", Port = _proxy.Port, Timeout = 3 }.ConnectionString;
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
    }
}

/// <summary>
/// PostgreSQL unreachable under load: <c>/readyz</c> answers 503, writes fail with a 503 envelope,
/// and the same broker processes recover when it returns; every write answered 2xx is stored.
/// </summary>
public sealed class DatabaseOutageTests(ProxiedReplicaSet replicas) : IClassFixture<ProxiedReplicaSet>
{
    [Fact]
    public async Task While_the_database_is_unreachable_the_brokers_answer_503_and_afterwards_recover_without_a_restart()
    {
        var generator = await replicas.A.Admin().GeneratorAsync();
        var accepted = new ConcurrentBag<Guid>();
        using var stop = new CancellationTokenSource();
        var writers = replicas.All.Select(broker => WriteAsync(broker, generator.Id, accepted, stop.Token)).ToList();
        await Given.EventuallyAsync(() => Task.FromResult(accepted.Count >= 10), "writes flow", TimeSpan.FromSeconds(20));

        replicas.Proxy.Stop();

        foreach (var broker in replicas.All)
        {
            using var http = broker.Client();
            await Given.EventuallyAsync(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.ServiceUnavailable, $"{broker.Url} /readyz 503", TimeSpan.FromSeconds(15));
            var failed = await broker.Admin().PostJsonAsync("/api/v1/stacks", new { name = Given.Unique("down"), description = (string?)null, generator_id = generator.Id });
            await failed.ShouldFailAsync(HttpStatusCode.ServiceUnavailable, "database_unavailable");
        }

        replicas.Proxy.Start();

        foreach (var broker in replicas.All)
        {
            using var http = broker.Client();
            await Given.EventuallyAsync(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, $"{broker.Url} /readyz 200 again", TimeSpan.FromSeconds(20));
            await (await broker.Admin().PostJsonAsync("/api/v1/stacks", new { name = Given.Unique("up"), description = (string?)null, generator_id = generator.Id }))
                .JsonAsync(HttpStatusCode.Created);
        }

        stop.Cancel();
        await Task.WhenAll(writers);
        var ids = string.Join(",", accepted.Select(id => $"'{id}'"));
        (await replicas.ScalarAsync($"SELECT count(*) FROM stacks WHERE id IN ({ids})")).ShouldBe(accepted.Count);
        replicas.All.ShouldAllBe(broker => !broker.HasExited);
    }

    private static async Task WriteAsync(BrokerProcess broker, Guid generatorId, ConcurrentBag<Guid> accepted, CancellationToken stop)
    {
        using var admin = broker.Admin();
        admin.Timeout = TimeSpan.FromSeconds(10);
        while (!stop.IsCancellationRequested)
        {
            var response = await admin.PostJsonAsync("/api/v1/stacks", new { name = Given.Unique("load"), description = (string?)null, generator_id = generatorId });
            if (response.IsSuccessStatusCode)
            {
                accepted.Add((await response.JsonAsync(HttpStatusCode.Created)).Id());
            }
            else
            {
                await response.ShouldFailAsync(HttpStatusCode.ServiceUnavailable, "database_unavailable");
                await Task.Delay(50, CancellationToken.None);
            }
        }
    }
}
