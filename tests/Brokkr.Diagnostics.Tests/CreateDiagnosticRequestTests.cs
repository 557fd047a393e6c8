namespace Brokkr.Diagnostics.Tests;

/// <summary><c>POST /deployment-objects/{id}/diagnostics</c> (behaviour §3.6, details §2.2): shape, callers, order of checks, bad input.</summary>
public sealed class CreateDiagnosticRequestTests(ClockedApiFactory api) : IClassFixture<ClockedApiFactory>
{
    private static string Url(Guid objectId) => $"/api/v1/deployment-objects/{objectId}/diagnostics";

    [Fact]
    public async Task Admin_creates_a_pending_request_that_expires_after_the_default_hour()
    {
        var world = await api.WorldAsync();

        var request = await api.RequestAsync(world);

        request.ShouldHaveExactKeys(DiagnosticsScenario.RequestKeys);
        request.Str("status").ShouldBe("pending");
        request.Id("agent_id").ShouldBe(world.Agent);
        request.Id("deployment_object_id").ShouldBe(world.DeploymentObject);
        request["requested_by"].ShouldBeNull();
        request["claimed_at"].ShouldBeNull();
        request["completed_at"].ShouldBeNull();
        request.Timestamp("created_at").ShouldBe(api.Now, TimeSpan.FromMilliseconds(1));
        request.Str("created_at").ShouldEndWith("Z");
        (request.Timestamp("expires_at") - request.Timestamp("created_at")).ShouldBe(TimeSpan.FromMinutes(60));
    }

    [Fact]
    public async Task Retention_and_requester_are_taken_from_the_body_and_stored_verbatim()
    {
        var world = await api.WorldAsync();
        const string requester = "ops'; DROP TABLE diagnostic_requests; --";

        var request = await api.RequestAsync(world, new { agent_id = world.Agent, requested_by = requester, retention_minutes = 1440 });

        request.Str("requested_by").ShouldBe(requester);
        (request.Timestamp("expires_at") - request.Timestamp("created_at")).ShouldBe(TimeSpan.FromMinutes(1440));
        var fetched = await (await api.Admin().GetAsync($"/api/v1/diagnostics/{request.Id()}")).JsonAsync(HttpStatusCode.OK);
        fetched["request"]!.ToJsonString().ShouldBe(request.ToJsonString());
    }

    [Fact]
    public async Task Any_agent_may_be_asked_even_one_not_associated_with_the_object()
    {
        var world = await api.WorldAsync();

        var request = await api.RequestAsync(world, new { agent_id = world.OtherAgent });

        request.Id("agent_id").ShouldBe(world.OtherAgent);
    }

    [Fact]
    public async Task Only_admin_may_create_and_the_caller_is_checked_before_any_lookup()
    {
        var world = await api.WorldAsync();
        var unknown = Guid.NewGuid();
        var body = new { agent_id = world.Agent };

        await (await api.WithPak(world.GeneratorPak).PostJsonAsync(Url(world.DeploymentObject), body)).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        await (await api.WithPak(world.AgentPak).PostJsonAsync(Url(world.DeploymentObject), body)).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        await (await api.WithPak(world.AgentPak).PostJsonAsync(Url(unknown), body)).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        await (await api.Anonymous().PostJsonAsync(Url(world.DeploymentObject), body)).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task The_body_is_extracted_before_the_caller_is_checked()
    {
        var world = await api.WorldAsync();
        var agent = api.WithPak(world.AgentPak);

        await (await agent.PostJsonAsync(Url(world.DeploymentObject), "{not json")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
        await (await agent.PostJsonAsync(Url(world.DeploymentObject), new { requested_by = "x" })).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await (await agent.SendTextAsync(HttpMethod.Post, Url(world.DeploymentObject), $"{{\"agent_id\":\"{world.Agent}\"}}", "text/plain"))
            .ShouldFailAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task Unknown_object_comes_before_unknown_agent_which_comes_before_validation()
    {
        var world = await api.WorldAsync();
        var admin = api.Admin();
        var unknownAgent = Guid.NewGuid();

        await (await admin.PostJsonAsync(Url(Guid.NewGuid()), new { agent_id = unknownAgent, retention_minutes = 0 }))
            .ShouldFailAsync(HttpStatusCode.NotFound, "deployment_object_not_found");
        await (await admin.PostJsonAsync(Url(world.DeploymentObject), new { agent_id = unknownAgent, retention_minutes = 0 }))
            .ShouldFailAsync(HttpStatusCode.NotFound, "agent_not_found");
        await (await admin.PostJsonAsync(Url(world.DeploymentObject), new { agent_id = world.Agent, retention_minutes = 0 }))
            .ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_diagnostic_request");
    }

    [Fact]
    public async Task Deleted_objects_and_agents_count_as_missing()
    {
        var world = await api.WorldAsync();
        (await api.Admin().DeleteAsync($"/api/v1/agents/{world.OtherAgent}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await api.Admin().PostJsonAsync(Url(world.DeploymentObject), new { agent_id = world.OtherAgent }))
            .ShouldFailAsync(HttpStatusCode.NotFound, "agent_not_found");

        (await api.Admin().DeleteAsync($"/api/v1/stacks/{world.Stack}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await api.Admin().PostJsonAsync(Url(world.DeploymentObject), new { agent_id = world.Agent }))
            .ShouldFailAsync(HttpStatusCode.NotFound, "deployment_object_not_found");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1441)]
    [InlineData(long.MaxValue)]
    public async Task Retention_outside_one_minute_to_a_day_is_refused(long minutes)
    {
        var world = await api.WorldAsync();

        await (await api.Admin().PostJsonAsync(Url(world.DeploymentObject), new { agent_id = world.Agent, retention_minutes = minutes }))
            .ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_diagnostic_request");
    }

    [Fact]
    public async Task Retention_bounds_are_accepted()
    {
        var world = await api.WorldAsync();

        var shortest = await api.RequestAsync(world, new { agent_id = world.Agent, retention_minutes = 1 });

        (shortest.Timestamp("expires_at") - shortest.Timestamp("created_at")).ShouldBe(TimeSpan.FromMinutes(1));
    }

    [Theory]
    [InlineData("""{"agent_id":"{agent}","retention_minutes":"5"}""")]
    [InlineData("""{"agent_id":"{agent}","retention_minutes":1e30}""")]
    [InlineData("""{"agent_id":"{agent}","retention_minutes":99999999999999999999}""")]
    [InlineData("""{"agent_id":"not-a-uuid"}""")]
    [InlineData("""{"agent_id":null}""")]
    [InlineData("""{"agent_id":"{agent}","requested_by":7}""")]
    [InlineData("""[]""")]
    public async Task Bodies_of_the_wrong_shape_are_422(string body)
    {
        var world = await api.WorldAsync();

        await (await api.Admin().PostJsonAsync(Url(world.DeploymentObject), body.Replace("{agent}", world.Agent.ToString(), StringComparison.Ordinal)))
            .ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
    }

    [Fact]
    public async Task Oversize_or_unstorable_requester_is_refused_with_the_operations_code()
    {
        var world = await api.WorldAsync();

        await (await api.Admin().PostJsonAsync(Url(world.DeploymentObject), new { agent_id = world.Agent, requested_by = new string('x', 256) }))
            .ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_diagnostic_request");
        await (await api.Admin().PostJsonAsync(Url(world.DeploymentObject), new { agent_id = world.Agent, requested_by = "a\0b" }))
            .ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_diagnostic_request");
        var longest = await api.RequestAsync(world, new { agent_id = world.Agent, requested_by = new string('é', 255) });
        longest.Str("requested_by").Length.ShouldBe(255);
    }

    [Fact]
    public async Task A_path_id_that_is_not_a_uuid_is_400()
    {
        var world = await api.WorldAsync();

        var response = await api.Admin().PostJsonAsync("/api/v1/deployment-objects/not-a-uuid/diagnostics", new { agent_id = world.Agent });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
