namespace Brokkr.Health.Tests;

/// <summary>
/// <c>GET /deployment-objects/{id}/health</c> and <c>GET /stacks/{id}/health</c> (behaviour §3.5,
/// §3.6, §9; details §3.1): admin only, no existence check, worst of failing &gt; degraded &gt; healthy &gt; unknown.
/// </summary>
public sealed class HealthReadTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private async Task ReportAsync(HealthWorld world, int agent, Guid objectId, string status)
        => await (await api.WithPak(world.Agents[agent].Pak).ReportAsync(world.Agents[agent].Id, HealthScenario.Report(objectId, status))).ShouldBeEmptyOkAsync();

    [Theory]
    [InlineData("failing", "healthy,degraded,failing")]
    [InlineData("failing", "unknown,failing")]
    [InlineData("degraded", "healthy,degraded,unknown")]
    [InlineData("healthy", "healthy,unknown")]
    [InlineData("healthy", "healthy")]
    [InlineData("unknown", "unknown,unknown")]
    public async Task A_deployment_objects_overall_status_is_the_worst_of_its_records(string expected, string statuses)
    {
        var world = await api.WorldAsync();
        var reported = statuses.Split(',');
        for (var i = 0; i < reported.Length; i++)
        {
            await ReportAsync(world, i, world.Revision, reported[i]);
        }

        var health = await api.ObjectHealthAsync(world.Revision);

        health.ShouldHaveExactKeys("deployment_object_id", "health_records", "overall_status");
        health.Id("deployment_object_id").ShouldBe(world.Revision);
        health.Str("overall_status").ShouldBe(expected);
        health["health_records"]!.AsArray().Select(r => r!.Id("agent_id")).Order()
            .ShouldBe(world.Agents.Take(reported.Length).Select(a => a.Id).Order());
    }

    [Fact]
    public async Task An_object_without_records_or_an_unknown_id_is_unknown_with_no_records()
    {
        var world = await api.WorldAsync();

        foreach (var id in new[] { world.Revision, Guid.NewGuid() })
        {
            var health = await api.ObjectHealthAsync(id);
            health.Id("deployment_object_id").ShouldBe(id);
            health.Str("overall_status").ShouldBe("unknown");
            health["health_records"]!.AsArray().ShouldBeEmpty();
        }
    }

    [Fact]
    public async Task Stack_health_counts_agents_per_live_revision_newest_first()
    {
        var world = await api.WorldAsync();
        await ReportAsync(world, 0, world.Revision, "healthy");
        await ReportAsync(world, 1, world.Revision, "degraded");
        await ReportAsync(world, 2, world.Revision, "healthy");
        await ReportAsync(world, 0, world.OldRevision, "healthy");
        await ReportAsync(world, 1, world.OldRevision, "unknown");
        var unreported = (await new Scenario(api).DeploymentObjectAsync(world.Stack, Wire.Yaml)).Id();

        var health = await api.StackHealthAsync(world.Stack);

        health.ShouldHaveExactKeys("stack_id", "overall_status", "deployment_objects");
        health.Id("stack_id").ShouldBe(world.Stack);
        health.Str("overall_status").ShouldBe("degraded");
        var objects = health["deployment_objects"]!.AsArray();
        objects.Ids().ShouldBe([world.Revision, world.OldRevision]);
        objects.Ids().ShouldNotContain(unreported);
        objects[0]!.ShouldHaveExactKeys("id", "status", "healthy_agents", "degraded_agents", "failing_agents");
        objects[0]!.ToJsonString().ShouldBe($$"""{"id":"{{world.Revision}}","status":"degraded","healthy_agents":2,"degraded_agents":1,"failing_agents":0}""");
        objects[1]!.ToJsonString().ShouldBe($$"""{"id":"{{world.OldRevision}}","status":"healthy","healthy_agents":1,"degraded_agents":0,"failing_agents":0}""");
    }

    [Fact]
    public async Task A_failing_revision_makes_the_stack_failing_and_unknown_only_records_count_nobody()
    {
        var world = await api.WorldAsync();
        await ReportAsync(world, 0, world.OldRevision, "unknown");

        var unknownOnly = await api.StackHealthAsync(world.Stack);
        unknownOnly.Str("overall_status").ShouldBe("unknown");
        unknownOnly["deployment_objects"]!.AsArray().Single()!.ToJsonString()
            .ShouldBe($$"""{"id":"{{world.OldRevision}}","status":"unknown","healthy_agents":0,"degraded_agents":0,"failing_agents":0}""");

        await ReportAsync(world, 1, world.Revision, "healthy");
        await ReportAsync(world, 2, world.OldRevision, "failing");
        (await api.StackHealthAsync(world.Stack)).Str("overall_status").ShouldBe("failing");
    }

    [Fact]
    public async Task Deleted_revisions_leave_stack_health_and_an_unknown_stack_is_unknown()
    {
        var world = await api.WorldAsync();
        await ReportAsync(world, 0, world.Revision, "failing");
        (await api.Admin().DeleteAsync($"/api/v1/stacks/{world.Stack}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        foreach (var id in new[] { world.Stack, Guid.NewGuid() })
        {
            var health = await api.StackHealthAsync(id);
            health.Id("stack_id").ShouldBe(id);
            health.Str("overall_status").ShouldBe("unknown");
            health["deployment_objects"]!.AsArray().ShouldBeEmpty();
        }

        (await api.ObjectHealthAsync(world.Revision)).Str("overall_status").ShouldBe("failing");
    }

    [Fact]
    public async Task Health_reads_are_admin_only_even_for_the_owning_generator_and_an_unknown_id()
    {
        var world = await api.WorldAsync();
        var agentPak = world.Agents[0].Pak;
        await ReportAsync(world, 0, world.Revision, "healthy");

        foreach (var url in new[]
                 {
                     $"/api/v1/deployment-objects/{world.Revision}/health", $"/api/v1/stacks/{world.Stack}/health",
                     $"/api/v1/deployment-objects/{Guid.NewGuid()}/health", $"/api/v1/stacks/{Guid.NewGuid()}/health",
                 })
        {
            await (await api.WithPak(world.GeneratorPak).GetAsync(url)).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
            await (await api.WithPak(agentPak).GetAsync(url)).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
            await (await api.Anonymous().GetAsync(url)).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        }

        (await api.Admin().GetAsync("/api/v1/stacks/not-a-uuid/health")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await api.Admin().GetAsync("/api/v1/deployment-objects/not-a-uuid/health")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
