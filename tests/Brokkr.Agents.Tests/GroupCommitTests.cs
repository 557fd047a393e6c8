using System.Net;
using System.Text.Json.Nodes;
using Brokkr.Agents.Ingest;
using Brokkr.Contracts.Agents;
using Brokkr.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Brokkr.Agents.Tests;

/// <summary>
/// Group commit of heartbeats and events (ADR 0031). Triggers installed in this class's database hold a
/// batch in flight (agents named <c>gate-*</c>, events with message <c>gate</c>) while the test holds an
/// advisory lock, so the requests sent meanwhile are known to form the next batch together; other
/// triggers fail a batch with a database error (<c>bomb</c>; <c>late-bomb</c> at the commit) or a data error (<c>check</c>).
/// </summary>
public sealed class GroupCommitTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>, IAsyncLifetime
{
    private const long GateKey = 31_031;
    private readonly Scenario _given = new(api);

    public async Task InitializeAsync()
        => await Database.ExecuteAsync(api, $$"""
            CREATE OR REPLACE FUNCTION test_group_commit_agents() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                IF NEW.name LIKE 'gate-%' THEN PERFORM pg_advisory_xact_lock_shared({{GateKey}}); END IF;
                IF NEW.name LIKE 'bomb-%' THEN RAISE EXCEPTION 'bomb'; END IF;
                RETURN NEW;
            END $fn$;
            CREATE OR REPLACE TRIGGER test_group_commit BEFORE UPDATE ON agents FOR EACH ROW EXECUTE FUNCTION test_group_commit_agents();
            CREATE OR REPLACE FUNCTION test_group_commit_events() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                IF NEW.message = 'gate' THEN PERFORM pg_advisory_xact_lock_shared({{GateKey}}); END IF;
                IF NEW.message = 'bomb' THEN RAISE EXCEPTION 'bomb'; END IF;
                IF NEW.message = 'check' THEN RAISE EXCEPTION 'check' USING ERRCODE = 'check_violation'; END IF;
                RETURN NEW;
            END $fn$;
            CREATE OR REPLACE TRIGGER test_group_commit BEFORE INSERT ON agent_events FOR EACH ROW EXECUTE FUNCTION test_group_commit_events();
            CREATE OR REPLACE FUNCTION test_group_commit_late() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                IF NEW.message = 'late-bomb' THEN RAISE EXCEPTION 'late bomb'; END IF;
                RETURN NULL;
            END $fn$;
            DROP TRIGGER IF EXISTS test_group_commit_late ON agent_events;
            CREATE CONSTRAINT TRIGGER test_group_commit_late AFTER INSERT ON agent_events DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW EXECUTE FUNCTION test_group_commit_late();
            """);

    public Task DisposeAsync() => Task.CompletedTask;

    private HeartbeatWriter Heartbeats => api.Services.GetRequiredService<HeartbeatWriter>();

    private EventWriter Events => api.Services.GetRequiredService<EventWriter>();

    private static string Beat(Guid id) => $"/api/v1/agents/{id}/heartbeat";

    private static string EventUrl(Guid id) => $"/api/v1/agents/{id}/events";

    private static object Event(Guid agent, Guid revision, string status = "SUCCESS", string? message = null, string type = "DEPLOY")
        => new { agent_id = agent, deployment_object_id = revision, event_type = type, status, message };

    private async Task<(Guid StackId, Guid Revision)> RevisionAsync()
    {
        var generator = await _given.GeneratorAsync();
        var stack = await _given.StackAsync(generator.Id);
        var revision = (await _given.DeploymentObjectAsync(stack, $"kind: ConfigMap\nmetadata:\n  name: c{Guid.NewGuid():N}\n")).Id();
        return (stack, revision);
    }

    private async Task<List<(Guid Id, string Pak)>> AgentsAsync(int count, string prefix = "agent")
    {
        var agents = new List<(Guid Id, string Pak)>();
        for (var i = 0; i < count; i++)
        {
            agents.Add(await _given.AgentAsync(name: Scenario.Unique(prefix)));
        }

        return agents;
    }

    private async Task<Guid> SubscribeAsync()
        => (await api.Admin().PostJsonAsync("/api/v1/webhooks", new { name = Scenario.Unique("hook"), url = "http://127.0.0.1:9/hook", event_types = new[] { "deployment.*" } })
            .JsonAsync(HttpStatusCode.Created)).Id();

    private async Task<long> DeliveriesAsync(Guid subscription, Guid agentEventId)
        => (long)(await Database.ScalarAsync(api,
            "SELECT count(*) FROM webhook_deliveries WHERE subscription_id = $1 AND payload::jsonb -> 'data' ->> 'agent_event_id' = $2",
            subscription, agentEventId.ToString()))!;

    private async Task<long> StoredEventsAsync(Guid agentId)
        => (long)(await Database.ScalarAsync(api, "SELECT count(*) FROM agent_events WHERE agent_id = $1", agentId))!;

    /// <summary>
    /// Holds the batch <paramref name="first"/> starts in the database, runs <paramref name="queue"/>
    /// and waits until <paramref name="queued"/> requests wait in <paramref name="queueOf"/>, then lets
    /// everything go: those requests are one batch.
    /// </summary>
    private async Task<T> GatedAsync<T>(Func<Task> first, Func<Task<T>> queue, Func<int> queueOf, int queued)
    {
        await using var gate = new NpgsqlConnection(api.ConnectionString);
        await gate.OpenAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({GateKey})", gate))
        {
            await take.ExecuteNonQueryAsync();
        }

        var held = first();
        await WaitUntilAsync(async () => (long)(await Database.ScalarAsync(api, $"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = {GateKey} AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"))! > 0);
        var rest = queue();
        await WaitUntilAsync(() => Task.FromResult(queueOf() >= queued));
        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({GateKey})", gate))
        {
            await release.ExecuteNonQueryAsync();
        }

        await held;
        return await rest;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("condition not reached in 30 s");
    }

    [Fact]
    public async Task Heartbeats_of_many_agents_sent_at_once_are_all_stored_with_their_own_report()
    {
        var agents = await AgentsAsync(60);

        var responses = await Task.WhenAll(agents.Select((a, i) => i % 3 == 0
            ? api.WithPak(a.Pak).PostAsync(Beat(a.Id), null)
            : api.WithPak(a.Pak).PostJsonAsync(Beat(a.Id), new { k8s_reachable = i % 2 == 0, k8s_api_latency_ms = i })));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.NoContent);
        for (var i = 0; i < agents.Count; i++)
        {
            var record = await api.Admin().GetAsync($"/api/v1/agents/{agents[i].Id}").JsonAsync(HttpStatusCode.OK);
            record["last_heartbeat"].ShouldNotBeNull();
            if (i % 3 == 0)
            {
                record["k8s_reachable"].ShouldBeNull();
            }
            else
            {
                record["k8s_reachable"]!.GetValue<bool>().ShouldBe(i % 2 == 0);
                record["k8s_api_latency_ms"]!.GetValue<int>().ShouldBe(i);
            }
        }
    }

    [Fact]
    public async Task Heartbeats_queued_behind_a_batch_in_flight_go_out_as_one_batch_and_are_all_stored()
    {
        var gated = (await AgentsAsync(1, "gate")).Single();
        var agents = await AgentsAsync(30);

        var responses = await GatedAsync(
            () => api.WithPak(gated.Pak).PostAsync(Beat(gated.Id), null).ShouldBeAsync(HttpStatusCode.NoContent),
            () => Task.WhenAll(agents.Select((a, i) => api.WithPak(a.Pak).PostJsonAsync(Beat(a.Id), new { k8s_reachable = true, k8s_api_latency_ms = i }))),
            () => Heartbeats.Queued, agents.Count);

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.NoContent);
        for (var i = 0; i < agents.Count; i++)
        {
            (await Database.ScalarAsync(api, "SELECT k8s_api_latency_ms FROM agents WHERE id = $1 AND last_heartbeat IS NOT NULL AND k8s_reported_at IS NOT NULL", agents[i].Id)).ShouldBe(i);
        }
    }

    [Fact]
    public async Task A_heartbeat_batch_the_database_refuses_answers_every_waiter_503_and_stores_none()
    {
        var gated = (await AgentsAsync(1, "gate")).Single();
        var bomb = (await AgentsAsync(1, "bomb")).Single();
        var agents = await AgentsAsync(10);
        var batch = agents.Append(bomb).ToList();

        var responses = await GatedAsync(
            () => api.WithPak(gated.Pak).PostAsync(Beat(gated.Id), null).ShouldBeAsync(HttpStatusCode.NoContent),
            () => Task.WhenAll(batch.Select(a => api.WithPak(a.Pak).PostAsync(Beat(a.Id), null))),
            () => Heartbeats.Queued, batch.Count);

        foreach (var response in responses)
        {
            await response.ShouldFailAsync(HttpStatusCode.ServiceUnavailable, "database_unavailable");
        }

        foreach (var agent in agents)
        {
            (await Database.ScalarAsync(api, "SELECT last_heartbeat FROM agents WHERE id = $1", agent.Id)).ShouldBeNull();
        }

        // The next batch does not hold the failed one against them.
        await api.WithPak(agents[0].Pak).PostAsync(Beat(agents[0].Id), null).ShouldBeAsync(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_deleted_agent_is_left_untouched_by_a_batch()
    {
        var agent = await _given.AgentAsync();
        await Database.ExecuteAsync(api, "UPDATE agents SET deleted_at = now() WHERE id = $1", agent.Id);

        await Heartbeats.SubmitAsync(new RecordAgentHeartbeat(agent.Id, new HeartbeatReport(true, 5)), CancellationToken.None);

        (await Database.ScalarAsync(api, "SELECT last_heartbeat FROM agents WHERE id = $1", agent.Id)).ShouldBeNull();
        (await Database.ScalarAsync(api, "SELECT k8s_reachable FROM agents WHERE id = $1", agent.Id)).ShouldBeNull();
    }

    [Fact]
    public async Task Single_events_queued_together_are_answered_one_by_one_with_their_outbox_rows()
    {
        var (_, revision) = await RevisionAsync();
        var gated = (await AgentsAsync(1)).Single();
        var agents = await AgentsAsync(20);
        var hook = await SubscribeAsync();
        var unknownRevision = Guid.NewGuid();

        var responses = await GatedAsync(
            () => api.WithPak(gated.Pak).PostJsonAsync(EventUrl(gated.Id), Event(gated.Id, revision, message: "gate")).ShouldBeAsync(HttpStatusCode.Created),
            () => Task.WhenAll(agents.Select((a, i) => api.WithPak(a.Pak).PostJsonAsync(EventUrl(a.Id),
                Event(a.Id, i == 3 ? unknownRevision : revision, status: i % 2 == 0 ? "SUCCESS" : i == 5 ? "PENDING" : "FAILURE", message: $"m{i}")))),
            () => Events.Queued, agents.Count);

        // Checked before queueing: refused at once, whatever the batch.
        await api.WithPak(agents[0].Pak).PostJsonAsync(EventUrl(agents[0].Id), Event(agents[0].Id, revision, type: new string('E', 51)))
            .ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_agent_event");
        var failed = await responses[3].ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "foreign_key_violation");
        failed["details"]!.Str("constraint").ShouldBe("agent_events_deployment_object_id_fkey");
        (await StoredEventsAsync(agents[3].Id)).ShouldBe(0);
        for (var i = 0; i < agents.Count; i++)
        {
            if (i == 3)
            {
                continue;
            }

            var created = await responses[i].JsonAsync(HttpStatusCode.Created);
            created.ShouldHaveKeys(Keys.AgentEvent);
            created.Str("message").ShouldBe($"m{i}");
            created.Id("agent_id").ShouldBe(agents[i].Id);
            var fetched = await api.Admin().GetAsync($"/api/v1/agent-events/{created.Id()}").JsonAsync(HttpStatusCode.OK);
            fetched.ToJsonString().ShouldBe(created.ToJsonString());
            (await DeliveriesAsync(hook, created.Id())).ShouldBe(i == 5 ? 0 : 1);
        }
    }

    [Theory]
    [InlineData("bomb")]
    [InlineData("late-bomb")] // at the commit, after the batch's outbox rows were written
    public async Task An_event_batch_the_database_refuses_rolls_back_every_event_and_outbox_row(string bomb)
    {
        var (_, revision) = await RevisionAsync();
        var gated = (await AgentsAsync(1)).Single();
        var agents = await AgentsAsync(8);
        await SubscribeAsync();

        var responses = await GatedAsync(
            () => api.WithPak(gated.Pak).PostJsonAsync(EventUrl(gated.Id), Event(gated.Id, revision, message: "gate")).ShouldBeAsync(HttpStatusCode.Created),
            () => Task.WhenAll(agents.Select((a, i) => api.WithPak(a.Pak).PostJsonAsync(EventUrl(a.Id), Event(a.Id, revision, message: i == 7 ? bomb : "fine")))),
            () => Events.Queued, agents.Count);

        foreach (var response in responses)
        {
            await response.ShouldFailAsync(HttpStatusCode.ServiceUnavailable, "database_unavailable");
        }

        foreach (var agent in agents)
        {
            (await StoredEventsAsync(agent.Id)).ShouldBe(0);
        }

        (await Database.ScalarAsync(api, "SELECT count(*) FROM webhook_deliveries WHERE payload::jsonb -> 'data' ->> 'agent_id' = ANY($1)",
            new object[] { agents.Select(a => a.Id.ToString()).ToArray() })).ShouldBe(0L);
        (await Database.ScalarAsync(api, "SELECT count(*) FROM webhook_deliveries WHERE payload::jsonb -> 'data' ->> 'agent_id' = $1", gated.Id.ToString())).ShouldNotBe(0L);
    }

    [Fact]
    public async Task A_data_error_in_one_request_of_a_batch_fails_that_request_only()
    {
        var (_, revision) = await RevisionAsync();
        var gated = (await AgentsAsync(1)).Single();
        var agents = await AgentsAsync(8);

        var responses = await GatedAsync(
            () => api.WithPak(gated.Pak).PostJsonAsync(EventUrl(gated.Id), Event(gated.Id, revision, message: "gate")).ShouldBeAsync(HttpStatusCode.Created),
            () => Task.WhenAll(agents.Select((a, i) => api.WithPak(a.Pak).PostJsonAsync(EventUrl(a.Id), Event(a.Id, revision, message: i == 2 ? "check" : "fine")))),
            () => Events.Queued, agents.Count);

        await responses[2].ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "check_violation");
        (await StoredEventsAsync(agents[2].Id)).ShouldBe(0);
        for (var i = 0; i < agents.Count; i++)
        {
            if (i != 2)
            {
                (await responses[i].JsonAsync(HttpStatusCode.Created)).Str("message").ShouldBe("fine");
                (await StoredEventsAsync(agents[i].Id)).ShouldBe(1);
            }
        }
    }

    [Fact]
    public async Task Batch_requests_of_many_agents_at_once_are_all_stored()
    {
        var (_, revision) = await RevisionAsync();
        var agents = await AgentsAsync(12);

        var responses = await Task.WhenAll(agents.Select(a => api.WithPak(a.Pak).PostJsonAsync($"/api/v1/agents/{a.Id}/events/batch",
            Enumerable.Range(0, 50).Select(i => Event(a.Id, revision, message: $"n{i}")).ToArray())));

        for (var k = 0; k < agents.Count; k++)
        {
            var created = await responses[k].JsonAsync(HttpStatusCode.Created);
            created.AsArray().Select(e => e!.Str("message")).ShouldBe(Enumerable.Range(0, 50).Select(i => $"n{i}"));
            (await StoredEventsAsync(agents[k].Id)).ShouldBe(50);
        }
    }

    [Fact]
    public async Task A_writer_that_shut_down_drains_what_it_holds_and_refuses_more_with_503()
    {
        var agent = await _given.AgentAsync();
        var writer = ActivatorUtilities.CreateInstance<HeartbeatWriter>(api.Services);

        await writer.SubmitAsync(new RecordAgentHeartbeat(agent.Id, null), CancellationToken.None);
        await writer.DisposeAsync();

        (await Database.ScalarAsync(api, "SELECT last_heartbeat FROM agents WHERE id = $1", agent.Id)).ShouldNotBeNull();
        var refused = await Should.ThrowAsync<Brokkr.Shared.Errors.ApiException>(() => writer.SubmitAsync(new RecordAgentHeartbeat(agent.Id, null), CancellationToken.None));
        refused.Status.ShouldBe(503);
    }
}
