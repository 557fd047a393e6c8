using System.Collections.Concurrent;
using Brokkr.Replicas.Tests.Support;

namespace Brokkr.Replicas.Tests;

/// <summary>
/// A real restart of PostgreSQL (a private server, stopped with open sessions and started again)
/// while two replicas take writes: failures in between are 503 envelopes, the same processes recover,
/// and every write answered 201 is stored.
/// </summary>
public sealed class PostgresRestartTests
{
    private static readonly TimeSpan Down = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Restarting_postgres_under_load_loses_no_accepted_write_and_the_replicas_recover()
    {
        await using var postgres = await PrivatePostgres.StartAsync();

        // The first broker migrates the new server alone; the second starts on the migrated schema.
        await using var a = await BrokerProcess.StartAsync(postgres.ConnectionString);
        await using var b = await BrokerProcess.StartAsync(postgres.ConnectionString);
        BrokerProcess[] brokers = [a, b];
        var generator = await a.Admin().GeneratorAsync();

        var accepted = new ConcurrentBag<Guid>();
        var refused = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var writers = brokers.SelectMany(broker => Enumerable.Range(0, 2).Select(_ => WriteAsync(broker, generator.Id, accepted, refused, stop.Token))).ToList();
        await Given.EventuallyAsync(() => Task.FromResult(accepted.Count >= 20), "writes flow", TimeSpan.FromSeconds(20));

        await postgres.StopAsync();
        await Given.EventuallyAsync(() => Task.FromResult(refused.Count >= 4), "writes are refused while PostgreSQL is down", TimeSpan.FromSeconds(15));
        await Task.Delay(Down);
        var beforeRestart = accepted.Count;
        await postgres.StartAgainAsync();

        foreach (var broker in brokers)
        {
            using var http = broker.Client();
            await Given.EventuallyAsync(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, $"{broker.Url} /readyz 200 again", TimeSpan.FromSeconds(30));
        }

        await Given.EventuallyAsync(() => Task.FromResult(accepted.Count >= beforeRestart + 20), "writes flow again through the same processes", TimeSpan.FromSeconds(30));
        stop.Cancel();
        await Task.WhenAll(writers);

        refused.ShouldAllBe(failure => failure == "503 database_unavailable");
        var ids = string.Join(",", accepted.Select(id => $"'{id}'"));
        (await Sql.ScalarAsync(postgres.ConnectionString, $"SELECT count(*) FROM stacks WHERE id IN ({ids})")).ShouldBe(accepted.Count);
        brokers.ShouldAllBe(broker => !broker.HasExited);
    }

    private static async Task WriteAsync(BrokerProcess broker, Guid generatorId, ConcurrentBag<Guid> accepted, ConcurrentBag<string> refused, CancellationToken stop)
    {
        using var admin = broker.Admin();
        admin.Timeout = TimeSpan.FromSeconds(15);
        while (!stop.IsCancellationRequested)
        {
            var response = await admin.PostJsonAsync("/api/v1/stacks", new { name = Given.Unique("load"), description = (string?)null, generator_id = generatorId });
            if (response.IsSuccessStatusCode)
            {
                accepted.Add((await response.JsonAsync(HttpStatusCode.Created)).Id());
                continue;
            }

            var body = await response.Content.ReadAsStringAsync();
            var code = body.StartsWith('{') ? JsonNode.Parse(body)?["code"]?.GetValue<string>() : body;
            refused.Add($"{(int)response.StatusCode} {code}");
            await Task.Delay(50, CancellationToken.None);
        }
    }
}
