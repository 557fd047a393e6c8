using System.Net;
using System.Text.Json.Nodes;
using Brokkr.Testing;
using Npgsql;

namespace Brokkr.Host.Tests.Jobs;

public sealed class JobsApiTests(JobsFactory api) : IClassFixture<JobsFactory>
{
    private const string Url = "/api/v1/admin/jobs";

    [Fact]
    public async Task Given_admin_then_every_registered_job_is_listed_with_its_schedule_and_state()
    {
        var list = await (await api.Admin().GetAsync(Url)).JsonAsync(HttpStatusCode.OK);

        var keys = list.AsArray().Select(j => j!["key"]!.GetValue<string>()).ToList();
        keys.ShouldContain("agent-events-cleanup");
        keys.ShouldContain("audit-log-cleanup");
        keys.ShouldBe(keys.Order(StringComparer.Ordinal).ToList());
        foreach (var job in list.AsArray())
        {
            job!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ShouldBe(JobsWire.JobKeys.Order(StringComparer.Ordinal), job.ToJsonString());
        }

        var events = list.AsArray().Single(j => j!["key"]!.GetValue<string>() == "agent-events-cleanup")!;
        events["interval_seconds"]!.GetValue<long>().ShouldBe(3600);
        events["schedule"]!.GetValue<string>().ShouldBe("every 1 h");
        events["state"]!.GetValue<string>().ShouldBe("normal");
        events["next_fire_time"]!.GetValue<string>().ShouldEndWith("Z");
        var audit = list.AsArray().Single(j => j!["key"]!.GetValue<string>() == "audit-log-cleanup")!;
        audit["interval_seconds"]!.GetValue<long>().ShouldBe(86400);
        audit["schedule"]!.GetValue<string>().ShouldBe("every 1 d");
        audit["description"]!.GetValue<string>().ShouldContain("audit_log_retention_days");
    }

    [Fact]
    public async Task Given_run_now_then_the_job_runs_once_and_its_outcome_duration_and_instance_are_shown()
    {
        var before = await JobsWire.JobAsync(api.Admin(), "audit-log-cleanup");

        var accepted = await (await api.Admin().PostAsync($"{Url}/audit-log-cleanup/run", null)).JsonAsync(HttpStatusCode.Accepted);

        accepted["key"]!.GetValue<string>().ShouldBe("audit-log-cleanup");
        var job = await JobsWire.WaitForAsync(api.Admin(), "audit-log-cleanup",
            j => j["last_run_manual"]?.GetValue<bool>() == true && j["last_run_at"]?.ToString() != before["last_run_at"]?.ToString());
        job["last_outcome"]!.GetValue<string>().ShouldBe("ok");
        job["last_message"]!.GetValue<string>().ShouldStartWith("Deleted 0 audit log entries older than ");
        job["last_duration_ms"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(0);
        job["last_instance"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        job["last_run_at"]!.GetValue<string>().ShouldEndWith("Z");
        var audited = await ScalarAsync("SELECT count(*) FROM audit_logs WHERE action = 'job.triggered' AND details->>'job' = 'audit-log-cleanup' AND actor_type = 'admin'");
        audited.ShouldBe(1L);
    }

    [Fact]
    public async Task Given_pause_then_the_job_is_paused_until_resumed()
    {
        var paused = await (await api.Admin().PostAsync($"{Url}/agent-events-cleanup/pause", null)).JsonAsync(HttpStatusCode.OK);
        paused["state"]!.GetValue<string>().ShouldBe("paused");
        (await JobsWire.JobAsync(api.Admin(), "agent-events-cleanup"))["state"]!.GetValue<string>().ShouldBe("paused");

        var resumed = await (await api.Admin().PostAsync($"{Url}/agent-events-cleanup/resume", null)).JsonAsync(HttpStatusCode.OK);

        resumed["state"]!.GetValue<string>().ShouldBe("normal");
        resumed["next_fire_time"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Given_an_unknown_job_then_each_action_is_404_job_not_found()
    {
        foreach (var action in new[] { "run", "pause", "resume" })
        {
            foreach (var key in new[] { "no-such-job", "x'%3B%20DROP%20TABLE%20qrtz_triggers%3B--", new string('k', 3000) })
            {
                await (await api.Admin().PostAsync($"{Url}/{key}/{action}", null)).ShouldFailAsync(HttpStatusCode.NotFound, "job_not_found");
            }
        }
    }

    [Fact]
    public async Task Given_no_pak_or_a_non_admin_pak_then_the_api_refuses_with_the_envelope()
    {
        var given = new Scenario(api);
        var generator = await given.GeneratorAsync();
        var agent = await given.AgentAsync();
        var requests = new Func<HttpClient, Task<HttpResponseMessage>>[]
        {
            c => c.GetAsync(Url),
            c => c.PostAsync($"{Url}/audit-log-cleanup/run", null),
            c => c.PostAsync($"{Url}/audit-log-cleanup/pause", null),
            c => c.PostAsync($"{Url}/audit-log-cleanup/resume", null),
            c => c.PostAsync($"{Url}/no-such-job/run", null),
        };

        foreach (var request in requests)
        {
            await (await request(api.Anonymous())).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
            await (await request(api.WithPak("brokkr_BRnotreal_xyz"))).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
            await (await request(api.WithPak(generator.Pak))).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
            await (await request(api.WithPak(agent.Pak))).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        }

        (await JobsWire.JobAsync(api.Admin(), "audit-log-cleanup"))["state"]!.GetValue<string>().ShouldBe("normal");
    }

    [Fact]
    public async Task Given_only_the_dashboard_cookie_then_the_api_does_not_accept_it()
    {
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Add("Cookie", $"brokkr_admin_pak={BrokkrApiFactory.AdminPak.Value}");

        await (await client.GetAsync(Url)).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await client.PostAsync($"{Url}/audit-log-cleanup/pause", null)).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}

/// <summary>The default test broker runs no scheduler: the jobs are still listed, but cannot be driven.</summary>
public sealed class JobsDisabledTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    [Fact]
    public async Task Given_the_scheduler_is_off_then_jobs_are_listed_as_disabled_and_actions_are_409()
    {
        var list = await (await api.Admin().GetAsync("/api/v1/admin/jobs")).JsonAsync(HttpStatusCode.OK);

        list.AsArray().ShouldNotBeEmpty();
        list.AsArray().ShouldAllBe(j => j!["state"]!.GetValue<string>() == "disabled" && j["next_fire_time"] == null);
        await (await api.Admin().PostAsync("/api/v1/admin/jobs/audit-log-cleanup/run", null)).ShouldFailAsync(HttpStatusCode.Conflict, "scheduler_disabled");
        await (await api.Admin().PostAsync("/api/v1/admin/jobs/no-such-job/run", null)).ShouldFailAsync(HttpStatusCode.NotFound, "job_not_found");
        (await ScalarAsync(api, "SELECT count(*) FROM qrtz_scheduler_state")).ShouldBe(0L);
    }

    private static async Task<object?> ScalarAsync(BrokkrApiFactory api, string sql)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
