using System.Net;
using System.Text;
using Brokkr.Testing;

namespace Brokkr.Agents.Tests;

public sealed class HeartbeatTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);

    private static string Url(Guid id) => $"/api/v1/agents/{id}/heartbeat";

    [Fact]
    public async Task Given_no_body_then_heartbeat_is_recorded_without_a_report()
    {
        var agent = await _given.AgentAsync();

        var response = await api.WithPak(agent.Pak).PostAsync(Url(agent.Id), null);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await response.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
        var record = await api.Admin().GetAsync($"/api/v1/agents/{agent.Id}").JsonAsync(HttpStatusCode.OK);
        record["last_heartbeat"].ShouldNotBeNull();
        record.Str("last_heartbeat").ShouldEndWith("Z");
        record["k8s_reachable"].ShouldBeNull();
        record["k8s_reported_at"].ShouldBeNull();
    }

    [Fact]
    public async Task Given_a_report_then_reachability_latency_and_report_time_are_stored()
    {
        var agent = await _given.AgentAsync();

        await api.WithPak(agent.Pak).PostJsonAsync(Url(agent.Id), new { k8s_reachable = true, k8s_api_latency_ms = 42 }).ShouldBeAsync(HttpStatusCode.NoContent);

        var record = await api.Admin().GetAsync($"/api/v1/agents/{agent.Id}").JsonAsync(HttpStatusCode.OK);
        record["k8s_reachable"]!.GetValue<bool>().ShouldBeTrue();
        record["k8s_api_latency_ms"]!.GetValue<int>().ShouldBe(42);
        record["k8s_reported_at"].ShouldNotBeNull();
        record["last_heartbeat"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Given_a_later_report_without_latency_then_latency_is_cleared_and_a_plain_beat_keeps_the_report()
    {
        var agent = await _given.AgentAsync();
        var self = api.WithPak(agent.Pak);
        await self.PostJsonAsync(Url(agent.Id), new { k8s_reachable = true, k8s_api_latency_ms = 42 }).ShouldBeAsync(HttpStatusCode.NoContent);

        await self.PostJsonAsync(Url(agent.Id), new { k8s_reachable = false }).ShouldBeAsync(HttpStatusCode.NoContent);
        await self.PostAsync(Url(agent.Id), null).ShouldBeAsync(HttpStatusCode.NoContent);

        var record = await api.Admin().GetAsync($"/api/v1/agents/{agent.Id}").JsonAsync(HttpStatusCode.OK);
        record["k8s_reachable"]!.GetValue<bool>().ShouldBeFalse();
        record["k8s_api_latency_ms"].ShouldBeNull();
    }

    [Theory]
    [InlineData("{not json", "application/json")]
    [InlineData("", "application/json")]
    [InlineData("null", "application/json")]
    [InlineData("[true]", "application/json")]
    [InlineData("{\"k8s_reachable\":\"yes\",\"k8s_api_latency_ms\":5}", "application/json")]
    [InlineData("{\"k8s_reachable\":true,\"k8s_api_latency_ms\":\"5\"}", "application/json")]
    [InlineData("{\"k8s_reachable\":true,\"k8s_api_latency_ms\":99999999999}", "application/json")]
    [InlineData("{\"k8s_reachable\":null,\"k8s_api_latency_ms\":5}", "application/json")]
    [InlineData("{\"k8s_reachable\":true}", "text/plain")]
    [InlineData("\u0000\u0001garbage", "application/octet-stream")]
    public async Task Given_a_body_that_is_not_a_report_then_the_beat_counts_and_no_report_is_stored(string body, string contentType)
    {
        var agent = await _given.AgentAsync();

        await api.WithPak(agent.Pak).SendRawAsync(HttpMethod.Post, Url(agent.Id), body, contentType).ShouldBeAsync(HttpStatusCode.NoContent);

        var record = await api.Admin().GetAsync($"/api/v1/agents/{agent.Id}").JsonAsync(HttpStatusCode.OK);
        record["last_heartbeat"].ShouldNotBeNull();
        record["k8s_reachable"].ShouldBeNull();
        record["k8s_api_latency_ms"].ShouldBeNull();
    }

    [Fact]
    public async Task Given_a_body_over_2_mib_then_the_beat_still_counts()
    {
        var agent = await _given.AgentAsync();
        var huge = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', 3 * 1024 * 1024) + "\"}"));
        huge.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var response = await api.WithPak(agent.Pak).PostAsync(Url(agent.Id), huge);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await api.Admin().GetAsync($"/api/v1/agents/{agent.Id}").JsonAsync(HttpStatusCode.OK))["last_heartbeat"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Given_anyone_but_the_agent_itself_then_heartbeat_is_refused_admin_included()
    {
        var cast = await Cast.CreateAsync(api, _given);

        await cast.Admin.PostAsync(Url(cast.AgentId), null).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await cast.Generator.PostAsync(Url(cast.AgentId), null).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await cast.OtherAgent.PostJsonAsync(Url(cast.AgentId), "{garbage").ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await cast.Agent.PostAsync(Url(Guid.NewGuid()), null).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await cast.Anonymous.PostAsync(Url(cast.AgentId), null).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        (await cast.Admin.GetAsync($"/api/v1/agents/{cast.AgentId}").JsonAsync(HttpStatusCode.OK))["last_heartbeat"].ShouldBeNull();
    }
}
