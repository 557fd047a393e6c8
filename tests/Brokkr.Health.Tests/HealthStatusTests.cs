using Brokkr.Contracts.Health;
using Brokkr.Shared.Errors;

namespace Brokkr.Health.Tests;

/// <summary><c>PATCH /agents/{id}/health-status</c> (behaviour §3.2, §9; details §1.4): batches, upsert, callers, bad input.</summary>
public sealed class HealthStatusTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    [Fact]
    public async Task The_agent_reports_and_gets_200_with_an_empty_body_and_the_record_is_stored()
    {
        var world = await api.WorldAsync();
        var (agent, pak) = world.Agents[0];

        await (await api.WithPak(pak).ReportAsync(agent, HealthScenario.Report(world.Revision, "degraded",
                new { pods_ready = 1, pods_total = 2, conditions = new[] { "ImagePullBackOff" } }, "2025-01-02T04:04:05.5+01:00")))
            .ShouldBeEmptyOkAsync();

        var health = await api.ObjectHealthAsync(world.Revision);
        var record = health["health_records"]!.AsArray().Single()!;
        record.ShouldHaveExactKeys(HealthScenario.HealthKeys);
        record.Id("agent_id").ShouldBe(agent);
        record.Id("deployment_object_id").ShouldBe(world.Revision);
        record.Str("status").ShouldBe("degraded");
        record.Str("summary").ShouldBe("""{"pods_ready":1,"pods_total":2,"conditions":["ImagePullBackOff"]}""");
        record.Str("checked_at").ShouldBe("2025-01-02T03:04:05.500Z");
        record.Str("created_at").ShouldEndWith("Z");
    }

    [Fact]
    public async Task The_summary_is_stored_as_its_compact_reserialization_in_the_reference_key_order()
    {
        var world = await api.WorldAsync();
        var (agent, pak) = world.Agents[0];
        const string body = """
            {"deployment_objects":[{"checked_at":"2025-01-02T03:04:05Z","summary":{
              "resources":[{"ready":false,"namespace":"ns","name":"web-0","kind":"Pod","extra":1},
                           {"kind":"Pod","name":"web-1","namespace":"ns","ready":true,"message":"Back-off <x> & \"y\" é"}],
              "conditions":["CrashLoopBackOff","InitContainer:ErrImagePull"],
              "unknown_key":{"nested":true},
              "pods_total":2, "pods_ready":0},
              "status":"failing","id":"{object}"}]}
            """;

        await (await api.WithPak(pak).PatchJsonAsync(HealthScenario.HealthUrl(agent), body.Replace("{object}", world.Revision.ToString(), StringComparison.Ordinal)))
            .ShouldBeEmptyOkAsync();

        var record = (await api.ObjectHealthAsync(world.Revision))["health_records"]!.AsArray().Single()!;
        record.Str("summary").ShouldBe(
            """{"pods_ready":0,"pods_total":2,"conditions":["CrashLoopBackOff","InitContainer:ErrImagePull"],"resources":[{"kind":"Pod","name":"web-0","namespace":"ns","ready":false},{"kind":"Pod","name":"web-1","namespace":"ns","ready":true,"message":"Back-off <x> & \"y\" é"}]}""");
    }

    [Fact]
    public async Task An_absent_or_null_summary_is_stored_as_null_and_empty_resources_are_kept()
    {
        var world = await api.WorldAsync();

        await (await api.WithPak(world.Agents[0].Pak).ReportAsync(world.Agents[0].Id, HealthScenario.Report(world.Revision, "unknown"))).ShouldBeEmptyOkAsync();
        await (await api.WithPak(world.Agents[1].Pak).PatchJsonAsync(HealthScenario.HealthUrl(world.Agents[1].Id),
                new { deployment_objects = new[] { new { id = world.Revision, status = "healthy", checked_at = "2025-01-02T03:04:05Z" } } }))
            .ShouldBeEmptyOkAsync();
        await (await api.WithPak(world.Agents[2].Pak).ReportAsync(world.Agents[2].Id,
                HealthScenario.Report(world.Revision, "healthy", new { pods_ready = 1, pods_total = 1, conditions = Array.Empty<string>(), resources = Array.Empty<object>() })))
            .ShouldBeEmptyOkAsync();

        var records = (await api.ObjectHealthAsync(world.Revision))["health_records"]!.AsArray().ToDictionary(r => r!.Id("agent_id"), r => r!["summary"]);
        records[world.Agents[0].Id].ShouldBeNull();
        records[world.Agents[1].Id].ShouldBeNull();
        records[world.Agents[2].Id]!.GetValue<string>().ShouldBe("""{"pods_ready":1,"pods_total":1,"conditions":[],"resources":[]}""");
    }

    [Fact]
    public async Task A_second_report_updates_the_same_record_in_place()
    {
        var world = await api.WorldAsync();
        var (agent, pak) = world.Agents[0];
        await (await api.WithPak(pak).ReportAsync(agent, HealthScenario.Report(world.Revision, "healthy"))).ShouldBeEmptyOkAsync();
        var before = (await api.ObjectHealthAsync(world.Revision))["health_records"]!.AsArray().Single()!;

        await (await api.WithPak(pak).ReportAsync(agent,
                HealthScenario.Report(world.Revision, "failing", new { pods_ready = 0, pods_total = 1, conditions = new[] { "PodFailed" } }, "2025-01-02T03:05:00Z")))
            .ShouldBeEmptyOkAsync();

        var after = (await api.ObjectHealthAsync(world.Revision))["health_records"]!.AsArray().Single()!;
        after.Id().ShouldBe(before.Id());
        after.Str("created_at").ShouldBe(before.Str("created_at"));
        after.Timestamp("updated_at").ShouldBeGreaterThanOrEqualTo(before.Timestamp("updated_at"));
        after.Str("status").ShouldBe("failing");
        after.Str("checked_at").ShouldBe("2025-01-02T03:05:00Z");
        after.Str("summary").ShouldBe("""{"pods_ready":0,"pods_total":1,"conditions":["PodFailed"]}""");
    }

    [Fact]
    public async Task A_batch_covers_several_objects_and_the_last_report_of_an_object_wins()
    {
        var world = await api.WorldAsync();
        var (agent, pak) = world.Agents[0];

        await (await api.WithPak(pak).ReportAsync(agent,
                HealthScenario.Report(world.OldRevision, "degraded"),
                HealthScenario.Report(world.Revision, "healthy"),
                HealthScenario.Report(world.Revision, "failing")))
            .ShouldBeEmptyOkAsync();

        (await api.ObjectHealthAsync(world.OldRevision))["health_records"]!.AsArray().Single()!.Str("status").ShouldBe("degraded");
        (await api.ObjectHealthAsync(world.Revision))["health_records"]!.AsArray().Single()!.Str("status").ShouldBe("failing");
    }

    [Theory]
    [InlineData("HEALTHY")]
    [InlineData("ok")]
    [InlineData("")]
    [InlineData(" healthy")]
    public async Task One_invalid_status_rejects_the_whole_batch(string status)
    {
        var world = await api.WorldAsync();
        var (agent, pak) = world.Agents[0];

        await (await api.WithPak(pak).ReportAsync(agent, HealthScenario.Report(world.OldRevision, "healthy"), HealthScenario.Report(world.Revision, status)))
            .ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_health_record");

        (await api.ObjectHealthAsync(world.OldRevision))["health_records"]!.AsArray().ShouldBeEmpty();
        (await api.ObjectHealthAsync(world.Revision))["health_records"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task An_unknown_deployment_object_is_a_foreign_key_violation_and_nothing_is_stored()
    {
        var world = await api.WorldAsync();
        var (agent, pak) = world.Agents[0];

        var error = await (await api.WithPak(pak).ReportAsync(agent, HealthScenario.Report(world.Revision, "healthy"), HealthScenario.Report(Guid.NewGuid(), "healthy")))
            .ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "foreign_key_violation");

        error["details"]!.Str("constraint").ShouldNotBeNullOrEmpty();
        (await api.ObjectHealthAsync(world.Revision))["health_records"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Admin_may_report_for_any_agent_an_unknown_one_fails_only_when_the_batch_is_not_empty()
    {
        var world = await api.WorldAsync();
        var unknown = Guid.NewGuid();

        await (await api.Admin().ReportAsync(world.Agents[1].Id, HealthScenario.Report(world.Revision, "healthy"))).ShouldBeEmptyOkAsync();
        await (await api.Admin().ReportAsync(unknown)).ShouldBeEmptyOkAsync();
        await (await api.Admin().ReportAsync(unknown, HealthScenario.Report(world.Revision, "healthy")))
            .ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "foreign_key_violation");
        (await api.ObjectHealthAsync(world.Revision))["health_records"]!.AsArray().Single()!.Id("agent_id").ShouldBe(world.Agents[1].Id);
    }

    [Fact]
    public async Task Other_agents_and_generators_are_refused_before_any_lookup()
    {
        var world = await api.WorldAsync();
        var (agent, _) = world.Agents[0];
        var report = HealthScenario.Report(world.Revision, "healthy");

        await (await api.WithPak(world.Agents[1].Pak).ReportAsync(agent, report)).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await (await api.WithPak(world.GeneratorPak).ReportAsync(agent, report)).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await (await api.WithPak(world.Agents[1].Pak).ReportAsync(Guid.NewGuid(), report)).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await (await api.WithPak(world.Agents[1].Pak).ReportAsync(agent, HealthScenario.Report(world.Revision, "bogus")))
            .ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await (await api.Anonymous().ReportAsync(agent, report)).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        (await api.ObjectHealthAsync(world.Revision))["health_records"]!.AsArray().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"deployment_objects":[{"id":"{object}","status":"healthy"}]}""")]
    [InlineData("""{"deployment_objects":[{"id":"{object}","status":null,"checked_at":"2025-01-02T03:04:05Z"}]}""")]
    [InlineData("""{"deployment_objects":[{"id":"{object}","status":"healthy","checked_at":"2025-01-02T03:04:05"}]}""")]
    [InlineData("""{"deployment_objects":[{"id":"nope","status":"healthy","checked_at":"2025-01-02T03:04:05Z"}]}""")]
    [InlineData("""{"deployment_objects":[{"id":"{object}","status":"healthy","checked_at":"2025-01-02T03:04:05Z","summary":{"pods_ready":"1","pods_total":1,"conditions":[]}}]}""")]
    [InlineData("""{"deployment_objects":[{"id":"{object}","status":"healthy","checked_at":"2025-01-02T03:04:05Z","summary":{"pods_ready":1,"pods_total":1}}]}""")]
    [InlineData("""{"deployment_objects":[{"id":"{object}","status":"healthy","checked_at":"2025-01-02T03:04:05Z","summary":{"pods_ready":3000000000,"pods_total":1,"conditions":[]}}]}""")]
    [InlineData("""{"deployment_objects":[{"id":"{object}","status":"healthy","checked_at":"2025-01-02T03:04:05Z","summary":{"pods_ready":1,"pods_total":1,"conditions":[],"resources":[{"kind":"Pod"}]}}]}""")]
    [InlineData("""{"deployment_objects":null}""")]
    [InlineData("""{}""")]
    [InlineData("""[]""")]
    public async Task Bodies_of_the_wrong_shape_are_422(string body)
    {
        var world = await api.WorldAsync();
        var (agent, pak) = world.Agents[0];

        await (await api.WithPak(pak).PatchJsonAsync(HealthScenario.HealthUrl(agent), body.Replace("{object}", world.Revision.ToString(), StringComparison.Ordinal)))
            .ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
    }

    [Fact]
    public async Task Malformed_json_wrong_content_type_and_bad_path_ids_are_refused()
    {
        var world = await api.WorldAsync();
        var (agent, pak) = world.Agents[0];

        await (await api.WithPak(pak).PatchJsonAsync(HealthScenario.HealthUrl(agent), "{\"deployment_objects\":[")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
        await (await api.WithPak(pak).SendTextAsync(HttpMethod.Patch, HealthScenario.HealthUrl(agent), "{\"deployment_objects\":[]}", "text/plain"))
            .ShouldFailAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        (await api.Admin().PatchJsonAsync("/api/v1/agents/not-a-uuid/health-status", new { deployment_objects = Array.Empty<object>() })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Unstorable_text_in_a_summary_is_refused_and_sql_looking_text_is_stored_verbatim()
    {
        var world = await api.WorldAsync();
        var (agent, pak) = world.Agents[0];
        const string sqlish = "'); DELETE FROM deployment_health; --";

        await (await api.WithPak(pak).ReportAsync(agent, HealthScenario.Report(world.Revision, "degraded", new { pods_ready = 0, pods_total = 1, conditions = new[] { "a\0b" } })))
            .ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_health_record");
        await (await api.WithPak(pak).ReportAsync(agent, HealthScenario.Report(world.Revision, "degraded", new { pods_ready = 0, pods_total = 1, conditions = new[] { sqlish } })))
            .ShouldBeEmptyOkAsync();

        var summary = (await api.ObjectHealthAsync(world.Revision))["health_records"]!.AsArray().Single()!.Str("summary");
        JsonNode.Parse(summary)!["conditions"]![0]!.GetValue<string>().ShouldBe(sqlish);
    }

    [Fact]
    public async Task The_contract_command_records_reports_with_the_same_rules()
    {
        var world = await api.WorldAsync();
        var (agent, _) = world.Agents[2];
        var summary = new HealthSummary(2, 3, ["OOMKilled"]);

        await api.SendAsync(new RecordDeploymentHealth(agent, [new DeploymentObjectHealthUpdate(world.Revision, "degraded", DateTime.UtcNow, summary)]));

        var record = (await api.ObjectHealthAsync(world.Revision))["health_records"]!.AsArray().Single()!;
        record.Id("agent_id").ShouldBe(agent);
        record.Str("status").ShouldBe("degraded");
        record.Str("summary").ShouldBe("""{"pods_ready":2,"pods_total":3,"conditions":["OOMKilled"]}""");
        var error = await Should.ThrowAsync<ApiException>(() => api.SendAsync(
            new RecordDeploymentHealth(agent, [new DeploymentObjectHealthUpdate(world.OldRevision, "healthy", DateTime.UtcNow), new DeploymentObjectHealthUpdate(world.Revision, "sick", DateTime.UtcNow)])));
        error.Status.ShouldBe(422);
        error.Code.ShouldBe("invalid_health_record");
        (await api.ObjectHealthAsync(world.OldRevision))["health_records"]!.AsArray().ShouldBeEmpty();
    }
}
