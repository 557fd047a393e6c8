using System.Security.Cryptography;
using System.Text;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Errors;
using Brokkr.Webhooks.Delivery;
using Brokkr.Webhooks.Features;

namespace Brokkr.Webhooks.Tests;

/// <summary>Delivery by agents (behaviour §7): claims by labels, the result endpoint's rules, retries and expiry.</summary>
public sealed class AgentDeliveryTests(ClockedApiFactory api) : IClassFixture<ClockedApiFactory>
{
    public static readonly string[] PendingKeys =
        ["id", "subscription_id", "event_type", "payload", "url", "auth_header", "timeout_seconds", "max_retries", "attempts", "signature_headers"];

    private async Task<(Guid Id, string Pak)> AgentWithLabelsAsync(params string[] labels)
    {
        var given = new Scenario(api);
        var agent = await given.AgentAsync();
        foreach (var label in labels)
        {
            await given.AgentLabelAsync(agent.Id, label);
        }

        return agent;
    }

    private async Task<JsonArray> PendingAsync((Guid Id, string Pak) agent)
        => await (await api.WithPak(agent.Pak).GetAsync($"/api/v1/agents/{agent.Id}/webhooks/pending")).ArrayAsync();

    private Task<HttpResponseMessage> ReportAsync((Guid Id, string Pak) agent, Guid delivery, object body)
        => api.WithPak(agent.Pak).PostJsonAsync($"/api/v1/webhook-deliveries/{delivery}/result", body);

    [Fact]
    public async Task An_agent_claims_only_deliveries_whose_labels_it_all_carries_with_the_secrets_in_clear()
    {
        var label = Scenario.Unique("l");
        var both = await AgentWithLabelsAsync(label, label + "-zone");
        var one = await AgentWithLabelsAsync(label);
        var type = Hooks.UniqueType();
        var narrow = await api.SubscribeAsync("http://in-cluster.svc/narrow", [type], new { target_labels = new[] { label, label + "-zone" }, auth_header = "Bearer in", max_retries = 4, timeout_seconds = 7 });
        var wide = await api.SubscribeAsync("http://in-cluster.svc/wide", [type], new { target_labels = new[] { label } });
        await api.PublishAsync(type, new Dictionary<string, object?> { ["x"] = 1 });

        var forOne = await PendingAsync(one);
        var claimed = forOne.ShouldHaveSingleItem()!;
        claimed.ShouldHaveExactKeys(PendingKeys);
        claimed.Str("subscription_id").ShouldBe(wide.ToString());
        claimed.Str("url").ShouldBe("http://in-cluster.svc/wide");
        claimed["auth_header"].ShouldBeNull();
        claimed["signature_headers"].ShouldBeNull();

        var forBoth = (await PendingAsync(both)).ShouldHaveSingleItem()!;
        forBoth.Str("subscription_id").ShouldBe(narrow.ToString());
        forBoth.Str("url").ShouldBe("http://in-cluster.svc/narrow");
        forBoth.Str("auth_header").ShouldBe("Bearer in");
        forBoth.Str("event_type").ShouldBe(type);
        forBoth["timeout_seconds"]!.GetValue<int>().ShouldBe(7);
        forBoth["max_retries"]!.GetValue<int>().ShouldBe(4);
        forBoth["attempts"]!.GetValue<int>().ShouldBe(0);
        forBoth.Str("payload").ShouldBe((await api.SingleDeliveryAsync(narrow)).Str("payload"));

        var acquired = await api.SingleDeliveryAsync(narrow);
        acquired.Str("status").ShouldBe("acquired");
        acquired.Str("acquired_by").ShouldBe(both.Id.ToString());
        acquired.Timestamp("acquired_until").ShouldBe(api.Now.AddSeconds(60), TimeSpan.FromMilliseconds(1));
        (await PendingAsync(both)).ShouldBeEmpty();
        (await PendingAsync(one)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_claim_that_expires_is_offered_again()
    {
        var label = Scenario.Unique("l");
        var agent = await AgentWithLabelsAsync(label);
        var type = Hooks.UniqueType();
        var id = await api.SubscribeAsync("http://in-cluster.svc/x", [type], new { target_labels = new[] { label } });
        await api.PublishAsync(type, new Dictionary<string, object?>());
        (await PendingAsync(agent)).Count.ShouldBe(1);

        api.Clock.Advance(TimeSpan.FromSeconds(59));
        await api.DeliverAsync();
        (await PendingAsync(agent)).ShouldBeEmpty();

        api.Clock.Advance(TimeSpan.FromSeconds(2));
        await api.DeliverAsync();
        (await api.SingleDeliveryAsync(id)).Str("status").ShouldBe("pending");
        (await PendingAsync(agent)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_signed_subscription_hands_the_agent_signature_headers_but_not_the_secret()
    {
        var label = Scenario.Unique("l");
        var agent = await AgentWithLabelsAsync(label);
        var type = Hooks.UniqueType();
        await api.SubscribeAsync("http://in-cluster.svc/x", [type], new { target_labels = new[] { label }, signing_secret = "agent-side-secret" });
        await api.PublishAsync(type, new Dictionary<string, object?>());

        var response = await api.WithPak(agent.Pak).GetAsync($"/api/v1/agents/{agent.Id}/webhooks/pending");
        var text = await response.Content.ReadAsStringAsync();

        text.ShouldNotContain("agent-side-secret");
        var claimed = JsonNode.Parse(text)!.AsArray().ShouldHaveSingleItem()!;
        var headers = claimed["signature_headers"]!;
        var timestamp = headers.Str("X-Brokkr-Timestamp");
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes("agent-side-secret"), Encoding.UTF8.GetBytes($"{timestamp}.{claimed.Str("payload")}"));
        headers.Str("X-Brokkr-Signature").ShouldBe("sha256=" + Convert.ToHexStringLower(mac));
    }

    [Fact]
    public async Task At_most_ten_are_claimed_per_call_oldest_first()
    {
        var label = Scenario.Unique("l");
        var agent = await AgentWithLabelsAsync(label);
        var type = Hooks.UniqueType();
        await api.SubscribeAsync("http://in-cluster.svc/x", [type], new { target_labels = new[] { label } });
        for (var i = 0; i < 12; i++)
        {
            await api.PublishAsync(type, new Dictionary<string, object?> { ["n"] = i });
            api.Clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        var first = await PendingAsync(agent);
        first.Count.ShouldBe(10);
        first.Select(d => JsonNode.Parse(d!.Str("payload"))!["data"]!["n"]!.GetValue<int>()).ShouldBe(Enumerable.Range(0, 10));
        (await PendingAsync(agent)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Success_and_failures_reported_by_the_agent_follow_the_broker_rules()
    {
        var label = Scenario.Unique("l");
        var agent = await AgentWithLabelsAsync(label);
        var type = Hooks.UniqueType();
        var id = await api.SubscribeAsync("http://in-cluster.svc/x", [type], new { target_labels = new[] { label }, max_retries = 2 });
        await api.PublishAsync(type, new Dictionary<string, object?>());
        await api.PublishAsync(type, new Dictionary<string, object?>());
        var claimed = (await PendingAsync(agent)).Ids();

        var ok = await (await ReportAsync(agent, claimed[0], new { success = true, status_code = 204, duration_ms = 12 })).JsonAsync(HttpStatusCode.OK);
        ok.ToJsonString().ShouldBe($$"""{"status":"success","delivery_id":"{{claimed[0]}}"}""");

        var failed = await (await ReportAsync(agent, claimed[1], new { success = false, status_code = 503, error = "upstream down" })).JsonAsync(HttpStatusCode.OK);
        failed.ShouldHaveExactKeys("status", "delivery_id", "attempts", "next_retry_at");
        failed.Str("status").ShouldBe("failed");
        failed["attempts"]!.GetValue<int>().ShouldBe(1);
        failed.Timestamp("next_retry_at").ShouldBe(api.Now.AddSeconds(2), TimeSpan.FromMilliseconds(1));
        var deliveries = await api.DeliveriesAsync(id);
        var second = deliveries.Single(d => d!.Id() == claimed[1])!;
        second.Str("last_error").ShouldBe("HTTP 503: upstream down");
        second["acquired_by"].ShouldBeNull();
        deliveries.Single(d => d!.Id() == claimed[0])!.Str("status").ShouldBe("success");

        await (await ReportAsync(agent, claimed[1], new { success = false })).ShouldFailAsync(HttpStatusCode.Forbidden, "delivery_not_acquired_by_agent");
        api.Clock.Advance(TimeSpan.FromSeconds(2));
        await api.DeliverAsync();
        (await PendingAsync(agent)).Ids().ShouldBe([claimed[1]]);

        var dead = await (await ReportAsync(agent, claimed[1], new { success = false, error = "HTTP 500 boom" })).JsonAsync(HttpStatusCode.OK);
        dead.Str("status").ShouldBe("dead");
        dead["attempts"]!.GetValue<int>().ShouldBe(2);
        dead["next_retry_at"].ShouldBeNull();
        (await api.DeliveriesAsync(id, "?status=dead")).ShouldHaveSingleItem()!.Str("last_error").ShouldBe("HTTP 500 boom");
        (await api.CountAsync("SELECT count(*) FROM audit_logs WHERE action = 'webhook.delivery_failed' AND resource_id = @id", ("id", id))).ShouldBe(1);
    }

    [Theory]
    [InlineData(404, null, "dead", "HTTP 404")]
    [InlineData(429, "slow down", "failed", "HTTP 429: slow down")]
    [InlineData(null, "connection refused", "failed", "connection refused")]
    [InlineData(null, null, "failed", "Unknown error")]
    [InlineData(410, "HTTP 410 Gone", "dead", "HTTP 410 Gone")]
    public async Task A_reported_failure_is_classified_and_described(int? status, string? error, string outcome, string lastError)
    {
        var label = Scenario.Unique("l");
        var agent = await AgentWithLabelsAsync(label);
        var type = Hooks.UniqueType();
        var id = await api.SubscribeAsync("http://in-cluster.svc/x", [type], new { target_labels = new[] { label } });
        await api.PublishAsync(type, new Dictionary<string, object?>());
        var delivery = (await PendingAsync(agent)).ShouldHaveSingleItem()!.Id();

        var answer = await (await ReportAsync(agent, delivery, new { success = false, status_code = status, error })).JsonAsync(HttpStatusCode.OK);

        answer.Str("status").ShouldBe(outcome);
        (await api.SingleDeliveryAsync(id)).Str("last_error").ShouldBe(lastError);
    }

    [Fact]
    public async Task Only_the_agent_holding_the_claim_may_report_and_the_body_is_checked_first()
    {
        var label = Scenario.Unique("l");
        var agent = await AgentWithLabelsAsync(label);
        var other = await AgentWithLabelsAsync(label);
        var generator = await new Scenario(api).GeneratorAsync();
        var type = Hooks.UniqueType();
        await api.SubscribeAsync("http://in-cluster.svc/x", [type], new { target_labels = new[] { label } });
        await api.PublishAsync(type, new Dictionary<string, object?>());
        await api.PublishAsync(type, new Dictionary<string, object?>());
        var delivery = (await PendingAsync(agent)).Ids()[0];

        (await api.Admin().PostJsonAsync($"/api/v1/webhook-deliveries/{delivery}/result", "{")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await api.Admin().PostJsonAsync($"/api/v1/webhook-deliveries/{delivery}/result", "{}")).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        await (await api.Admin().PostJsonAsync($"/api/v1/webhook-deliveries/{delivery}/result", new { success = true })).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_required");
        await (await api.WithPak(generator.Pak).PostJsonAsync($"/api/v1/webhook-deliveries/{delivery}/result", new { success = true })).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_required");
        await (await ReportAsync(agent, Guid.NewGuid(), new { success = true })).ShouldFailAsync(HttpStatusCode.NotFound, "delivery_not_found");
        await (await ReportAsync(other, delivery, new { success = true })).ShouldFailAsync(HttpStatusCode.Forbidden, "delivery_not_acquired_by_agent");
        (await api.Admin().GetAsync($"/api/v1/agents/{other.Id}/webhooks/pending")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ReportAsync(agent, delivery, new { success = true })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await ReportAsync(agent, delivery, new { success = true })).ShouldFailAsync(HttpStatusCode.Forbidden, "delivery_not_acquired_by_agent");
    }

    [Fact]
    public async Task The_pending_route_is_for_admin_and_the_agent_itself_and_never_the_read_only_token()
    {
        var agent = await AgentWithLabelsAsync();
        var other = await AgentWithLabelsAsync();

        await (await api.WithPak(other.Pak).GetAsync($"/api/v1/agents/{agent.Id}/webhooks/pending")).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await (await api.WithPak(other.Pak).GetAsync($"/api/v1/agents/{Guid.NewGuid()}/webhooks/pending")).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_mismatch");
        await (await api.Admin().GetAsync($"/api/v1/agents/{Guid.NewGuid()}/webhooks/pending")).ShouldFailAsync(HttpStatusCode.NotFound, "agent_not_found");
        (await api.Admin().GetAsync($"/api/v1/agents/{agent.Id}/webhooks/pending")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.Admin().DeleteAsync($"/api/v1/agents/{agent.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await api.Admin().GetAsync($"/api/v1/agents/{agent.Id}/webhooks/pending")).ShouldFailAsync(HttpStatusCode.NotFound, "agent_not_found");

        var refused = await Should.ThrowAsync<ApiException>(() => api.SendAsync(new ClaimAgentWebhooks.Command(new Caller(CallerKind.Admin, null, ReadOnly: true), other.Id)));
        refused.Status.ShouldBe(403);
    }

    [Fact]
    public async Task A_secret_the_agent_path_cannot_decrypt_makes_the_delivery_dead()
    {
        var label = Scenario.Unique("l");
        var agent = await AgentWithLabelsAsync(label);
        var type = Hooks.UniqueType();
        var id = await api.SubscribeAsync("http://in-cluster.svc/x", [type], new { target_labels = new[] { label }, auth_header = "a" });
        await api.PublishAsync(type, new Dictionary<string, object?>());
        await api.ExecuteAsync("UPDATE webhook_subscriptions SET auth_header_encrypted = @junk WHERE id = @id", ("junk", new byte[] { 1, 2, 3 }), ("id", id));
        var before = WebhookMetrics.DecryptFailureCount("auth_header", "agent");

        (await PendingAsync(agent)).ShouldBeEmpty();

        var delivery = await api.SingleDeliveryAsync(id);
        delivery.Str("status").ShouldBe("dead");
        delivery.Str("last_error").ShouldStartWith("Failed to decrypt auth header: ");
        WebhookMetrics.DecryptFailureCount("auth_header", "agent").ShouldBe(before + 1);
    }
}
