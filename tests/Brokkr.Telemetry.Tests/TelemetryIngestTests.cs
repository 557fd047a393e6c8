using Brokkr.Contracts.Telemetry;

namespace Brokkr.Telemetry.Tests;

/// <summary>
/// The Contracts commands the realtime channel sends (<see cref="AppendK8sEvents"/>,
/// <see cref="AppendPodLogLines"/>): one statement per batch, stale rows skipped, text stored as sent.
/// </summary>
public sealed class TelemetryIngestTests(ClockedApiFactory api) : IClassFixture<ClockedApiFactory>
{
    [Fact]
    public async Task Rows_for_unknown_or_deleted_stacks_and_agents_are_skipped_and_the_rest_stored()
    {
        var world = await api.WorldAsync();
        var given = new Scenario(api);
        var deletedStack = await given.StackAsync(world.Owner);
        (await api.Admin().DeleteAsync($"/api/v1/stacks/{deletedStack}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var deletedAgent = (await given.AgentAsync()).Id;
        (await api.Admin().DeleteAsync($"/api/v1/agents/{deletedAgent}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var stored = await api.AppendEventsAsync(
            TelemetryScenario.Event(world, "kept"),
            TelemetryScenario.Event(world, "no-stack", stack: Guid.NewGuid()),
            TelemetryScenario.Event(world, "deleted-stack", stack: deletedStack),
            TelemetryScenario.Event(world, "no-agent", agent: Guid.NewGuid()),
            TelemetryScenario.Event(world, "deleted-agent", agent: deletedAgent));
        var storedLines = await api.AppendLinesAsync(
            TelemetryScenario.Line(world, "kept"),
            TelemetryScenario.Line(world, "no-stack", stack: Guid.NewGuid()),
            TelemetryScenario.Line(world, "no-agent", agent: Guid.NewGuid()));

        stored.ShouldBe(1);
        storedLines.ShouldBe(1);
        (await api.EventsAsync(world.Stack))["events"]!.AsArray().Select(e => e!.Str("reason")).ShouldBe(["kept"]);
        (await api.LogsAsync(world.Stack))["lines"]!.AsArray().Select(l => l!.Str("line")).ShouldBe(["kept"]);
        (await api.ScalarAsync<long>("SELECT count(*) FROM agent_k8s_events WHERE stack_id = @stack", ("stack", deletedStack))).ShouldBe(0);
    }

    [Fact]
    public async Task Empty_batches_store_nothing()
    {
        (await api.AppendEventsAsync()).ShouldBe(0);
        (await api.AppendLinesAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Sql_looking_text_is_stored_verbatim_and_unstorable_characters_become_replacement_characters()
    {
        var world = await api.WorldAsync();
        const string sqlish = "x'); DROP TABLE agent_pod_logs; --";

        await api.AppendLinesAsync(TelemetryScenario.Line(world, sqlish), TelemetryScenario.Line(world, "nul\0here and a lone \ud800 surrogate"));
        await api.AppendEventsAsync(TelemetryScenario.Event(world, "odd\0reason", involved: """{"kind":"Pod","name":"a\u0000b","labels":{"k\u0000":["v\u0000"]}}"""));

        var lines = (await api.LogsAsync(world.Stack))["lines"]!.AsArray().Select(l => l!.Str("line")).ToList();
        lines.ShouldContain(sqlish);
        lines.ShouldContain("nul\uFFFDhere and a lone \uFFFD surrogate");
        var stored = (await api.EventsAsync(world.Stack))["events"]!.AsArray().Single()!;
        stored.Str("reason").ShouldBe("odd\uFFFDreason");
        JsonNode.DeepEquals(stored["involved_object"], JsonNode.Parse("""{"kind":"Pod","name":"a\uFFFDb","labels":{"k\uFFFD":["v\uFFFD"]}}"""))
            .ShouldBeTrue(stored["involved_object"]!.ToJsonString());
    }

    [Fact]
    public async Task Any_json_value_is_kept_as_the_involved_object()
    {
        var world = await api.WorldAsync();
        var missing = TelemetryScenario.Event(world, "absent") with { InvolvedObject = default };

        await api.AppendEventsAsync(TelemetryScenario.Event(world, "array", involved: "[1,\"two\",null]"), missing);

        var events = (await api.EventsAsync(world.Stack))["events"]!.AsArray().ToDictionary(e => e!.Str("reason"), e => e!["involved_object"]);
        events["array"]!.ToJsonString().ShouldBe("""[1,"two",null]""");
        events["absent"].ShouldBeNull();
    }
}
