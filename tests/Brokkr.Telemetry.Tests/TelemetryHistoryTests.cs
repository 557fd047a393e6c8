namespace Brokkr.Telemetry.Tests;

/// <summary>
/// <c>GET /stacks/{id}/events</c> and <c>GET /stacks/{id}/logs</c> (behaviour §3.5, §11): shapes,
/// newest first, the 6-hour window, the row limit, callers and bad input.
/// </summary>
public sealed class TelemetryHistoryTests(ClockedApiFactory api) : IClassFixture<ClockedApiFactory>
{
    [Fact]
    public async Task Events_come_newest_first_with_the_retention_statement()
    {
        var world = await api.WorldAsync();
        (await api.AppendEventsAsync(TelemetryScenario.Event(world, "Pulled"))).ShouldBe(1);
        var firstAt = api.Now;
        api.Clock.Advance(TimeSpan.FromSeconds(2));
        await api.AppendEventsAsync(TelemetryScenario.Event(world, "BackOff"));

        var history = await api.EventsAsync(world.Stack);

        history.ShouldHaveExactKeys("retention", "events");
        var retention = history["retention"]!;
        retention.ShouldHaveExactKeys(TelemetryScenario.RetentionKeys);
        retention["retention_ceiling_seconds"]!.GetValue<long>().ShouldBe(21600);
        retention["effective_retention_seconds"]!.GetValue<long>().ShouldBe(21600);
        retention.Str("long_term_sink_hint").ShouldContain("Datadog");
        retention.Timestamp("oldest_available_ts").ShouldBe(firstAt, TimeSpan.FromMilliseconds(1));
        var events = history["events"]!.AsArray();
        events.Select(e => e!.Str("reason")).ShouldBe(["BackOff", "Pulled"]);
        var newest = events[0]!;
        newest.ShouldHaveExactKeys(TelemetryScenario.EventKeys);
        newest.Id("agent_id").ShouldBe(world.Agent);
        newest.Id("stack_id").ShouldBe(world.Stack);
        newest.Str("observed_at").ShouldBe("2025-01-02T03:04:05Z");
        newest.Str("message").ShouldBe("message of BackOff");
        newest.Str("event_type").ShouldBe("Warning");
        newest.Str("source").ShouldBe("kubelet");
        // Stored as JSONB, as the reference does: the same value, keys in JSONB's order.
        JsonNode.DeepEquals(newest["involved_object"], JsonNode.Parse("""{"api_version":"v1","kind":"Pod","namespace":"default","name":"web-0","uid":"u-1"}"""))
            .ShouldBeTrue(newest["involved_object"]!.ToJsonString());
        newest.Timestamp("created_at").ShouldBe(api.Now, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task Log_lines_come_newest_first_with_the_retention_statement()
    {
        var world = await api.WorldAsync();
        await api.AppendLinesAsync(TelemetryScenario.Line(world, "starting"));
        var firstAt = api.Now;
        api.Clock.Advance(TimeSpan.FromSeconds(1));
        await api.AppendLinesAsync(TelemetryScenario.Line(world, "ready"), TelemetryScenario.Line(world, "serving"));

        var history = await api.LogsAsync(world.Stack);

        history.ShouldHaveExactKeys("retention", "lines");
        history["retention"]!.ShouldHaveExactKeys(TelemetryScenario.RetentionKeys);
        history["retention"]!.Timestamp("oldest_available_ts").ShouldBe(firstAt, TimeSpan.FromMilliseconds(1));
        var lines = history["lines"]!.AsArray();
        lines.Count.ShouldBe(3);
        lines[2]!.Str("line").ShouldBe("starting");
        lines.Take(2).Select(l => l!.Str("line")).ShouldBe(["ready", "serving"], ignoreOrder: true);
        var line = lines[2]!;
        line.ShouldHaveExactKeys(TelemetryScenario.LogKeys);
        line.Str("namespace").ShouldBe("default");
        line.Str("pod").ShouldBe("web-0");
        line.Str("container").ShouldBe("app");
        line.Str("ts").ShouldBe("2025-01-02T03:04:05.120Z");
    }

    [Fact]
    public async Task An_empty_history_has_no_oldest_timestamp()
    {
        var world = await api.WorldAsync();

        foreach (var (history, key) in new[] { (await api.EventsAsync(world.Stack), "events"), (await api.LogsAsync(world.Stack), "lines") })
        {
            history["retention"]!["oldest_available_ts"].ShouldBeNull();
            history["retention"]!.AsObject().ContainsKey("oldest_available_ts").ShouldBeTrue();
            history[key]!.AsArray().ShouldBeEmpty();
        }
    }

    [Fact]
    public async Task Only_the_last_six_hours_can_be_read_whatever_since_asks_for()
    {
        var world = await api.WorldAsync();
        var start = api.Now;
        await api.AppendEventsAsync(TelemetryScenario.Event(world, "old"));
        await api.AppendLinesAsync(TelemetryScenario.Line(world, "old"));
        api.Clock.Advance(TimeSpan.FromHours(5));
        await api.AppendEventsAsync(TelemetryScenario.Event(world, "recent"));
        await api.AppendLinesAsync(TelemetryScenario.Line(world, "recent"));
        var recentAt = api.Now;

        api.Clock.Advance(TimeSpan.FromHours(1));
        (await api.EventsAsync(world.Stack))["events"]!.AsArray().Select(e => e!.Str("reason")).ShouldBe(["recent", "old"]);

        api.Clock.Advance(TimeSpan.FromSeconds(1));
        var since = Uri.EscapeDataString(TelemetryScenario.Rfc3339(start.AddDays(-1)));
        var events = await api.EventsAsync(world.Stack, $"?since={since}");
        events["events"]!.AsArray().Select(e => e!.Str("reason")).ShouldBe(["recent"]);
        events["retention"]!.Timestamp("oldest_available_ts").ShouldBe(recentAt, TimeSpan.FromMilliseconds(1));
        (await api.LogsAsync(world.Stack, $"?since={since}"))["lines"]!.AsArray().Select(l => l!.Str("line")).ShouldBe(["recent"]);
        (await api.EventsAsync(world.Stack))["events"]!.AsArray().Select(e => e!.Str("reason")).ShouldBe(["recent"]);
    }

    [Fact]
    public async Task Since_inside_the_window_keeps_rows_ingested_at_or_after_it()
    {
        var world = await api.WorldAsync();
        await api.AppendEventsAsync(TelemetryScenario.Event(world, "before"));
        api.Clock.Advance(TimeSpan.FromMinutes(1));
        var boundary = api.Now;
        await api.AppendEventsAsync(TelemetryScenario.Event(world, "at"));
        api.Clock.Advance(TimeSpan.FromMinutes(1));
        await api.AppendEventsAsync(TelemetryScenario.Event(world, "after"));

        var reasons = (await api.EventsAsync(world.Stack, $"?since={Uri.EscapeDataString(TelemetryScenario.Rfc3339(boundary))}"))["events"]!.AsArray().Select(e => e!.Str("reason"));
        reasons.ShouldBe(["after", "at"]);

        var offset = boundary.AddHours(2).ToString("yyyy-MM-dd'T'HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture) + "+02:00";
        (await api.EventsAsync(world.Stack, $"?since={Uri.EscapeDataString(offset)}"))["events"]!.AsArray().Select(e => e!.Str("reason")).ShouldBe(["after", "at"]);

        var future = Uri.EscapeDataString(TelemetryScenario.Rfc3339(api.Now.AddMinutes(5)));
        (await api.EventsAsync(world.Stack, $"?since={future}"))["events"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Limit_defaults_to_500_and_is_clamped_to_1_through_5000()
    {
        var world = await api.WorldAsync();
        await api.AppendLinesAsync(Enumerable.Range(0, 5001).Select(i => TelemetryScenario.Line(world, $"line {i}")).ToArray());

        (await api.LogsAsync(world.Stack))["lines"]!.AsArray().Count.ShouldBe(500);
        (await api.LogsAsync(world.Stack, "?limit=7"))["lines"]!.AsArray().Count.ShouldBe(7);
        (await api.LogsAsync(world.Stack, "?limit=0"))["lines"]!.AsArray().Count.ShouldBe(1);
        (await api.LogsAsync(world.Stack, "?limit=-20"))["lines"]!.AsArray().Count.ShouldBe(1);
        (await api.LogsAsync(world.Stack, "?limit=5001"))["lines"]!.AsArray().Count.ShouldBe(5000);
        (await api.LogsAsync(world.Stack, $"?limit={long.MaxValue}"))["lines"]!.AsArray().Count.ShouldBe(5000);
    }

    [Theory]
    [InlineData("?since=yesterday", "since")]
    [InlineData("?since=2025-01-02T03:04:05", "since")]
    [InlineData("?since=2025-01-02", "since")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?limit=1.5", "limit")]
    [InlineData("?limit=99999999999999999999", "limit")]
    public async Task Query_values_that_do_not_parse_are_400_before_any_lookup(string query, string parameter)
    {
        var world = await api.WorldAsync();

        foreach (var path in new[] { "events", "logs" })
        {
            var error = await (await api.Admin().GetAsync($"/api/v1/stacks/{world.Stack}/{path}{query}")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");
            error["details"]!.Str("parameter").ShouldBe(parameter);
            await (await api.WithPak(world.AgentPak).GetAsync($"/api/v1/stacks/{Guid.NewGuid()}/{path}{query}")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");
        }
    }

    [Theory]
    [InlineData("events")]
    [InlineData("logs")]
    public async Task History_is_for_admin_and_the_owning_generator_after_the_existence_check(string path)
    {
        var world = await api.WorldAsync();
        var url = $"/api/v1/stacks/{world.Stack}/{path}";
        var unknown = $"/api/v1/stacks/{Guid.NewGuid()}/{path}";

        (await api.Admin().GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.WithPak(world.OwnerPak).GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await api.WithPak(world.OtherGeneratorPak).GetAsync(url)).ShouldFailAsync(HttpStatusCode.Forbidden, "stack_not_owned");
        await (await api.WithPak(world.AgentPak).GetAsync(url)).ShouldFailAsync(HttpStatusCode.Forbidden, "stack_not_owned");
        await (await api.Anonymous().GetAsync(url)).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await api.WithPak(world.OtherGeneratorPak).GetAsync(unknown)).ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
        await (await api.WithPak(world.AgentPak).GetAsync(unknown)).ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
        await (await api.Admin().GetAsync(unknown)).ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
        (await api.Admin().GetAsync($"/api/v1/stacks/not-a-uuid/{path}")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_deleted_stacks_history_is_not_found()
    {
        var world = await api.WorldAsync();
        await api.AppendEventsAsync(TelemetryScenario.Event(world, "Pulled"));
        (await api.Admin().DeleteAsync($"/api/v1/stacks/{world.Stack}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await api.Admin().GetAsync($"/api/v1/stacks/{world.Stack}/events")).ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
        await (await api.WithPak(world.OwnerPak).GetAsync($"/api/v1/stacks/{world.Stack}/logs")).ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
    }

    [Fact]
    public async Task Each_stack_sees_only_its_own_telemetry()
    {
        var world = await api.WorldAsync();
        var otherStack = await new Scenario(api).StackAsync(world.Owner);
        await api.AppendEventsAsync(TelemetryScenario.Event(world, "mine"), TelemetryScenario.Event(world, "theirs", stack: otherStack));

        (await api.EventsAsync(world.Stack))["events"]!.AsArray().Select(e => e!.Str("reason")).ShouldBe(["mine"]);
        (await api.EventsAsync(otherStack))["events"]!.AsArray().Select(e => e!.Str("reason")).ShouldBe(["theirs"]);
    }
}
