using System.Net.Http.Json;
using System.Text.Json;
using Brokkr.Contracts.Stacks;
using Brokkr.Shared.Data;
using Brokkr.Stacks.Data;
using LinqToDB.Data;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Brokkr.Stacks.Tests.Support.TargetStateRequests;

namespace Brokkr.Stacks.Tests;

/// <summary>
/// The target-state cache (ADR 0033): polls are answered from memory, and every change, made by this
/// broker or by any other process on the database, is seen. A "silent" write disables the triggers for
/// its session, so only a cached answer can still show the old content.
/// </summary>
public sealed class TargetStateCacheTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private const string SilentUpdate =
        "BEGIN; SET LOCAL session_replication_role = replica; UPDATE deployment_objects SET yaml_content = @yaml WHERE id = @id; COMMIT";

    private readonly Scenario _given = new(api);

    [Fact]
    public async Task An_unchanged_poll_is_answered_from_memory_and_a_change_through_the_api_is_seen_at_once()
    {
        var (agent, stack, revision) = await OneAgentOneRevisionAsync();
        await CacheOnlineAsync();
        (await YamlAsync(agent)).ShouldBe(Revision("v1"));

        await api.ExecuteElsewhereAsync(SilentUpdate, ("yaml", Revision("silent")), ("id", revision));
        var fromMemory = TargetStateMetrics.Count(fromMemory: true);

        (await YamlAsync(agent)).ShouldBe(Revision("v1"), "the second poll must not have read the database");
        TargetStateMetrics.Count(fromMemory: true).ShouldBeGreaterThan(fromMemory);

        await _given.DeploymentObjectAsync(stack, Revision("v2"));
        (await YamlAsync(agent)).ShouldBe(Revision("v2"));
    }

    [Fact]
    public async Task No_cache_in_the_request_reads_the_database_and_refreshes_the_cache()
    {
        var (agent, _, revision) = await OneAgentOneRevisionAsync();
        await CacheOnlineAsync();
        (await YamlAsync(agent)).ShouldBe(Revision("v1"));
        await api.ExecuteElsewhereAsync(SilentUpdate, ("yaml", Revision("silent")), ("id", revision));
        (await YamlAsync(agent)).ShouldBe(Revision("v1"));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/agents/{agent}/target-state?mode=full");
        request.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true };
        var revalidated = await (await api.Admin().SendAsync(request)).ArrayAsync();

        revalidated.Single()!["yaml_content"]!.GetValue<string>().ShouldBe(Revision("silent"));
        (await YamlAsync(agent)).ShouldBe(Revision("silent"), "the fresh answer replaced the cached one");
    }

    [Fact]
    public async Task A_change_made_by_another_process_reaches_the_cache_through_notify()
    {
        var (agent, stack, revision) = await OneAgentOneRevisionAsync();
        await CacheOnlineAsync();
        (await YamlAsync(agent)).ShouldBe(Revision("v1"));

        await api.ExecuteElsewhereAsync(SilentUpdate, ("yaml", Revision("silent")), ("id", revision));
        (await YamlAsync(agent)).ShouldBe(Revision("v1"));
        await api.ExecuteElsewhereAsync("INSERT INTO stack_labels (stack_id, label) VALUES (@id, 'elsewhere')", ("id", stack));

        await EventuallyAsync(async () => await YamlAsync(agent) == Revision("silent"));
    }

    [Fact]
    public async Task An_acknowledgement_changes_only_that_agents_incremental_answer()
    {
        var generator = await _given.GeneratorAsync();
        var first = await _given.AgentAsync(generatorIds: generator.Id);
        var second = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(first.Id, stack);
        await _given.TargetAsync(second.Id, stack);
        var revision = (await _given.DeploymentObjectAsync(stack, Revision("v1"))).Id();
        await CacheOnlineAsync();
        (await api.TargetStateAsync(first.Id)).Count.ShouldBe(1);
        (await api.TargetStateAsync(second.Id)).Count.ShouldBe(1);

        var events = await api.WithPak(first.Pak).PostAsJsonAsync($"/api/v1/agents/{first.Id}/events",
            new { agent_id = first.Id, deployment_object_id = revision, event_type = "DEPLOY", status = "SUCCESS" });
        events.StatusCode.ShouldBe(HttpStatusCode.Created);

        (await api.TargetStateAsync(first.Id)).ShouldBeEmpty();
        (await api.TargetStateAsync(second.Id)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task The_broker_hears_its_own_change_while_the_statement_runs_before_any_commit()
    {
        await CacheOnlineAsync();
        var cache = api.Services.GetRequiredService<TargetStateCache>();
        var agent = Guid.NewGuid();
        using var scope = api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrokkrDb>();
        await using var transaction = await db.BeginTransactionAsync();

        await db.ExecuteAsync("SELECT brokkr_target_state_signal(@scope)", new DataParameter("scope", agent.ToString()));

        cache.Tracks(agent).ShouldBeTrue("the NOTICE arrived with the statement; no NOTIFY is sent before the commit");
        await transaction.RollbackAsync();
    }

    [Fact]
    public async Task A_lost_listener_connection_drops_everything_cached()
    {
        var (agent, _, revision) = await OneAgentOneRevisionAsync();
        await CacheOnlineAsync();
        (await YamlAsync(agent)).ShouldBe(Revision("v1"));
        await api.ExecuteElsewhereAsync(SilentUpdate, ("yaml", Revision("silent")), ("id", revision));
        (await YamlAsync(agent)).ShouldBe(Revision("v1"));

        var terminated = await api.QueryAsync<bool>(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = @listen",
            ("listen", $"LISTEN {TargetStateSignals.Channel}"));
        terminated.ShouldNotBeEmpty();
        terminated.ShouldAllBe(done => done);

        await EventuallyAsync(async () => await YamlAsync(agent) == Revision("silent"));
    }

    [Fact]
    public async Task Cached_answers_are_the_bytes_the_serializer_writes()
    {
        var (agent, _, _) = await OneAgentOneRevisionAsync();
        await CacheOnlineAsync();
        var url = $"/api/v1/agents/{agent}/target-state?mode=full";
        var fromDatabase = await api.Admin().GetAsync(url);
        var fromMemory = await api.Admin().GetAsync(url);

        var bytes = await fromMemory.Content.ReadAsByteArrayAsync();
        bytes.ShouldBe(await fromDatabase.Content.ReadAsByteArrayAsync());
        fromMemory.Content.Headers.ContentType!.ToString().ShouldBe("application/json; charset=utf-8");
        fromMemory.Content.Headers.ContentLength.ShouldBe(bytes.Length);
        var options = api.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var objects = JsonSerializer.Deserialize<List<DeploymentObject>>(bytes, options)!;
        JsonSerializer.SerializeToUtf8Bytes(objects, options).ShouldBe(bytes);
    }

    private async Task<(Guid Agent, Guid Stack, Guid Revision)> OneAgentOneRevisionAsync()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);
        var revision = await _given.DeploymentObjectAsync(stack, Revision("v1"));
        return (agent.Id, stack, revision.Id());
    }

    private async Task<string> YamlAsync(Guid agent)
        => (await api.TargetStateAsync(agent, "?mode=full")).Single()!["yaml_content"]!.GetValue<string>();

    /// <summary>
    /// Online, and every notification of the setup's changes applied: notifications arrive in commit
    /// order, so once a marker sent after them has been applied, so have they.
    /// </summary>
    private async Task CacheOnlineAsync()
    {
        var cache = api.Services.GetRequiredService<TargetStateCache>();
        await EventuallyAsync(() => Task.FromResult(cache.Online));
        var marker = Guid.NewGuid();
        await api.ExecuteElsewhereAsync($"NOTIFY {TargetStateSignals.Channel}, '{marker}'");
        await EventuallyAsync(() => Task.FromResult(cache.Tracks(marker)));
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not hold within 10 s");
            }

            await Task.Delay(50);
        }
    }
}
