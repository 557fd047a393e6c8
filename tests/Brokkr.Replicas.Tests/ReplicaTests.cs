using Brokkr.Replicas.Tests.Support;

namespace Brokkr.Replicas.Tests;

/// <summary>
/// Three brokers as separate OS processes on one database: every replica serves every request,
/// and what one learns (PAK rotation, targets) reaches the others through LISTEN/NOTIFY.
/// </summary>
public sealed class ReplicaTests(ReplicaSet replicas) : IClassFixture<ReplicaSet>
{
    [Fact]
    public async Task A_stack_created_on_one_replica_is_read_at_once_on_the_others()
    {
        var a = replicas.A.Admin();
        var generator = await a.GeneratorAsync();
        var stack = await a.StackAsync(generator.Id);

        foreach (var other in new[] { replicas.B, replicas.C })
        {
            var read = await (await other.Admin().GetAsync($"/api/v1/stacks/{stack}")).JsonAsync(HttpStatusCode.OK);
            read.Id().ShouldBe(stack);
            read.Id("generator_id").ShouldBe(generator.Id);
        }
    }

    [Fact]
    public async Task A_generator_pak_rotated_on_one_replica_is_refused_by_all_within_a_second()
    {
        var generator = await replicas.A.Admin().GeneratorAsync();
        await WarmAsync(generator.Pak, $"/api/v1/generators/{generator.Id}");

        var rotated = await (await replicas.A.Admin().PostAsync($"/api/v1/generators/{generator.Id}/rotate-pak", null)).JsonAsync(HttpStatusCode.Created);

        await RefusedEverywhereAsync(generator.Pak, $"/api/v1/generators/{generator.Id}");
        foreach (var broker in replicas.All)
        {
            (await broker.Client(rotated.Str("pak")).GetAsync($"/api/v1/generators/{generator.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task An_agent_pak_rotated_on_one_replica_is_refused_by_all_within_a_second()
    {
        var agent = await replicas.B.Admin().AgentAsync();
        await WarmAsync(agent.Pak, $"/api/v1/agents/{agent.Id}");

        var rotated = await (await replicas.B.Admin().PostAsync($"/api/v1/agents/{agent.Id}/rotate-pak", null)).JsonAsync(HttpStatusCode.OK);

        await RefusedEverywhereAsync(agent.Pak, $"/api/v1/agents/{agent.Id}");
        foreach (var broker in replicas.All)
        {
            (await broker.Client(rotated.Str("pak")).GetAsync($"/api/v1/agents/{agent.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task A_revision_published_on_one_replica_reaches_target_state_cached_by_the_others_within_a_second()
    {
        var a = replicas.A.Admin();
        var generator = await a.GeneratorAsync();
        var stack = await a.StackAsync(generator.Id);
        var agent = await a.AgentAsync(generator.Id);
        await (await a.PostJsonAsync($"/api/v1/agents/{agent.Id}/targets", new { agent_id = agent.Id, stack_id = stack })).JsonAsync(HttpStatusCode.Created);
        var url = $"/api/v1/agents/{agent.Id}/target-state";
        var others = new[] { replicas.B.Client(agent.Pak), replicas.C.Client(agent.Pak) };
        foreach (var other in others)
        {
            (await (await other.GetAsync(url)).JsonAsync(HttpStatusCode.OK)).AsArray().ShouldBeEmpty();
            (await (await other.GetAsync(url)).JsonAsync(HttpStatusCode.OK)).AsArray().ShouldBeEmpty();
        }

        var published = (await (await a.PostJsonAsync($"/api/v1/stacks/{stack}/deployment-objects",
            new { yaml_content = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cross-replica\n", is_deletion_marker = false })).JsonAsync(HttpStatusCode.Created)).Id();

        foreach (var other in others)
        {
            await Given.EventuallyAsync(
                async () => (await (await other.GetAsync(url)).JsonAsync(HttpStatusCode.OK)).AsArray().Any(o => o!.Id() == published),
                "the other replica offers the new revision",
                TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task An_agent_connected_to_replica_B_receives_the_push_for_a_target_added_on_replica_A()
    {
        var a = replicas.A.Admin();
        var generator = await a.GeneratorAsync();
        var stack = await a.StackAsync(generator.Id);
        var agent = await a.AgentAsync(generator.Id);
        using var socket = await replicas.B.ConnectAgentAsync(agent.Pak);
        await Given.EventuallyAsync(
            async () => (await (await a.GetAsync("/api/v1/admin/ws/connections")).JsonAsync(HttpStatusCode.OK)).ToJsonString().Contains(agent.Id.ToString(), StringComparison.OrdinalIgnoreCase),
            "replica A lists the connection held by replica B",
            TimeSpan.FromSeconds(10));

        await (await a.PostJsonAsync($"/api/v1/agents/{agent.Id}/targets", new { agent_id = agent.Id, stack_id = stack })).JsonAsync(HttpStatusCode.Created);

        var frame = await socket.ReceiveAsync("target_changed", TimeSpan.FromSeconds(10));
        frame["body"]!.Id("agent_id").ShouldBe(agent.Id);
        frame["body"]!.Id("stack_id").ShouldBe(stack);
    }

    [Fact]
    public async Task A_work_order_claimed_at_once_through_three_replicas_has_exactly_one_winner()
    {
        var admin = replicas.A.Admin();
        var agents = new List<(Guid Id, string Pak)>();
        for (var i = 0; i < 3; i++)
        {
            agents.Add(await admin.AgentAsync());
        }

        for (var round = 0; round < 5; round++)
        {
            var order = (await (await admin.PostJsonAsync("/api/v1/work-orders", new { work_type = "build", yaml_content = Given.Yaml, target_agent_ids = agents.Select(a => a.Id) }))
                .JsonAsync(HttpStatusCode.Created)).Id();

            var answers = await Task.WhenAll(agents.Select((agent, i) =>
                replicas.All[i].Client(agent.Pak).PostJsonAsync($"/api/v1/work-orders/{order}/claim", new { agent_id = agent.Id })));

            answers.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1, string.Join(", ", answers.Select(r => (int)r.StatusCode)));
            answers.Where(r => r.StatusCode != HttpStatusCode.OK).ShouldAllBe(r => (int)r.StatusCode >= 400 && (int)r.StatusCode < 500);
            var stored = await (await replicas.C.Admin().GetAsync($"/api/v1/work-orders/{order}")).JsonAsync(HttpStatusCode.OK);
            stored.Str("status").ShouldBe("CLAIMED");
        }
    }

    /// <summary>Every replica authenticates the PAK once, so each holds it in its 60 s cache.</summary>
    private async Task WarmAsync(string pak, string url)
    {
        foreach (var broker in replicas.All)
        {
            (await broker.Client(pak).GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    private async Task RefusedEverywhereAsync(string oldPak, string url)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(1);
        foreach (var broker in replicas.All)
        {
            var client = broker.Client(oldPak);
            while (true)
            {
                var status = (await client.GetAsync(url)).StatusCode;
                if (status == HttpStatusCode.Unauthorized)
                {
                    break;
                }

                status.ShouldBe(HttpStatusCode.OK);
                DateTime.UtcNow.ShouldBeLessThan(deadline, $"{broker.Url} still accepts the rotated PAK");
                await Task.Delay(20);
            }
        }
    }
}
