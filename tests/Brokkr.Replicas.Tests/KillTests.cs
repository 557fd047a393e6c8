using System.Collections.Concurrent;
using System.Net.WebSockets;
using Brokkr.Replicas.Tests.Support;

namespace Brokkr.Replicas.Tests;

/// <summary>
/// SIGKILL one of three replicas while writes flow through all of them: what it answered 2xx is
/// durable, and its agents reconnect to a survivor and receive pushes there.
/// </summary>
public sealed class KillTests(ReplicaSet replicas) : IClassFixture<ReplicaSet>
{
    [Fact]
    public async Task Killing_a_replica_under_load_loses_no_accepted_write_and_its_agent_reconnects_to_a_survivor()
    {
        var generator = await replicas.A.Admin().GeneratorAsync();
        var agent = await replicas.A.Admin().AgentAsync(generator.Id);
        var stack = await replicas.A.Admin().StackAsync(generator.Id);
        var socket = await replicas.C.ConnectAgentAsync(agent.Pak);
        var silent = await replicas.A.Admin().AgentAsync();
        using var silentSocket = await replicas.C.ConnectAgentAsync(silent.Pak);
        await Given.EventuallyAsync(async () => (await ConnectionsAsync()).Contains(silent.Id.ToString()), "replica A lists the silent agent on C", TimeSpan.FromSeconds(15));

        var accepted = new ConcurrentBag<Guid>();
        using var stop = new CancellationTokenSource();
        var writers = replicas.All.SelectMany(broker => Enumerable.Range(0, 2).Select(_ => WriteAsync(broker, generator.Id, accepted, stop.Token))).ToList();

        await Given.EventuallyAsync(() => Task.FromResult(accepted.Count >= 30), "writes flow", TimeSpan.FromSeconds(20));
        await replicas.C.KillAsync();
        var killedAt = DateTime.UtcNow;

        // The client notices the dead socket and reconnects to another replica, as an agent would.
        await Should.ThrowAsync<Exception>(() => socket.ReceiveAsync("never", TimeSpan.FromSeconds(10)));
        socket.Dispose();
        using var reconnected = await replicas.A.ConnectAgentAsync(agent.Pak);
        (DateTime.UtcNow - killedAt).ShouldBeLessThan(TimeSpan.FromSeconds(5));

        await Task.Delay(500);
        stop.Cancel();
        await Task.WhenAll(writers);

        await (await replicas.B.Admin().PostJsonAsync($"/api/v1/agents/{agent.Id}/targets", new { agent_id = agent.Id, stack_id = stack })).JsonAsync(HttpStatusCode.Created);
        var frame = await reconnected.ReceiveAsync("target_changed", TimeSpan.FromSeconds(10));
        frame["body"]!.Id("stack_id").ShouldBe(stack);

        accepted.Count.ShouldBeGreaterThan(30);
        var ids = string.Join(",", accepted.Select(id => $"'{id}'"));
        (await replicas.ScalarAsync($"SELECT count(*) FROM stacks WHERE id IN ({ids})")).ShouldBe(accepted.Count);
        var survivor = replicas.B.Admin();
        foreach (var id in accepted.Take(20))
        {
            (await survivor.GetAsync($"/api/v1/stacks/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // An agent that does not reconnect leaves the registry when the dead replica expires (30 s, ADR 0023).
        await Given.EventuallyAsync(async () => !(await ConnectionsAsync()).Contains(silent.Id.ToString()), "the survivors drop the dead replica's connection", TimeSpan.FromSeconds(45));
        (await ConnectionsAsync()).ShouldContain(agent.Id.ToString());
    }

    private async Task<string> ConnectionsAsync()
        => (await (await replicas.A.Admin().GetAsync("/api/v1/admin/ws/connections")).JsonAsync(HttpStatusCode.OK)).ToJsonString();

    private static async Task WriteAsync(BrokerProcess broker, Guid generatorId, ConcurrentBag<Guid> accepted, CancellationToken stop)
    {
        using var admin = broker.Admin();
        admin.Timeout = TimeSpan.FromSeconds(5);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var response = await admin.PostJsonAsync("/api/v1/stacks", new { name = Given.Unique("load"), description = (string?)null, generator_id = generatorId });
                if (response.IsSuccessStatusCode)
                {
                    accepted.Add((await response.JsonAsync(HttpStatusCode.Created)).Id());
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                // The killed replica: the write was not answered, so nothing was promised.
                await Task.Delay(50, CancellationToken.None);
            }
        }
    }
}
