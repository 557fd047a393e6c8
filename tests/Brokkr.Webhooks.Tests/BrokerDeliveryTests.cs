using System.Security.Cryptography;
using System.Text;
using Brokkr.Shared.Configuration;
using Brokkr.Shared.Jobs;
using Brokkr.Webhooks.Delivery;
using Brokkr.Webhooks.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Brokkr.Webhooks.Tests;

/// <summary>The delivery job against a real loopback receiver (behaviour §7): body, headers, signature, outcomes and retries.</summary>
public sealed class BrokerDeliveryTests(ClockedApiFactory api) : IClassFixture<ClockedApiFactory>
{
    [Fact]
    public async Task A_delivery_arrives_with_the_payload_headers_and_a_signature_the_receiver_verifies()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var type = Hooks.UniqueType();
        var agentId = Guid.NewGuid();
        var id = await api.SubscribeAsync(receiver.Url, [type], new { auth_header = "Bearer receiver-token", signing_secret = "whsec_test" });
        await api.PublishAsync(type, new Dictionary<string, object?> { ["zeta"] = 1, ["agent_id"] = agentId, ["name"] = "ü \"q\"", ["alpha"] = null });

        await api.DeliverAsync();

        var request = (await receiver.WaitForAsync(1)).ShouldHaveSingleItem();
        var delivery = await api.SingleDeliveryAsync(id);
        request.Method.ShouldBe("POST");
        request.Header("content-type").ShouldBe("application/json");
        request.Header("authorization").ShouldBe("Bearer receiver-token");
        request.Header("x-brokkr-event-type").ShouldBe(type);
        request.Header("x-brokkr-delivery-id").ShouldBe(delivery.Str("id"));
        request.Body.ShouldBe(delivery.Str("payload"));
        request.Body.ShouldBe($$$"""{"id":"{{{delivery.Str("event_id")}}}","event_type":"{{{type}}}","timestamp":"{{{request.Json.Str("timestamp")}}}","data":{"agent_id":"{{{agentId}}}","alpha":null,"name":"ü \"q\"","zeta":1}}""");

        var timestamp = request.Header("x-brokkr-timestamp")!;
        timestamp.ShouldBe(api.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("whsec_test"), Encoding.UTF8.GetBytes($"{timestamp}.{request.Body}")));
        request.Header("x-brokkr-signature").ShouldBe(expected);

        delivery.Str("status").ShouldBe("success");
        delivery["attempts"]!.GetValue<int>().ShouldBe(1);
        delivery.Timestamp("completed_at").ShouldBe(api.Now, TimeSpan.FromMilliseconds(1));
        delivery.Timestamp("last_attempt_at").ShouldBe(api.Now, TimeSpan.FromMilliseconds(1));
        delivery["acquired_until"].ShouldBeNull();
    }

    [Fact]
    public async Task An_unsigned_subscription_sends_no_signature_and_no_authorization()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var type = Hooks.UniqueType();
        await api.SubscribeAsync(receiver.Url, [type]);
        await api.PublishAsync(type, new Dictionary<string, object?>());

        await api.DeliverAsync();

        var request = (await receiver.WaitForAsync(1)).ShouldHaveSingleItem();
        request.Header("x-brokkr-signature").ShouldBeNull();
        request.Header("x-brokkr-timestamp").ShouldBeNull();
        request.Header("authorization").ShouldBeNull();
        request.Header("x-brokkr-event-type").ShouldBe(type);
    }

    [Fact]
    public async Task Server_errors_are_retried_after_2_then_4_seconds_and_the_last_allowed_attempt_goes_dead_and_is_audited()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = _ => 503;
        receiver.ResponseBody = "busy";
        var type = Hooks.UniqueType();
        var id = await api.SubscribeAsync(receiver.Url, [type], new { max_retries = 3 });
        await api.PublishAsync(type, new Dictionary<string, object?>());

        await api.DeliverAsync();
        var first = await api.SingleDeliveryAsync(id);
        first.Str("status").ShouldBe("failed");
        first["attempts"]!.GetValue<int>().ShouldBe(1);
        first.Str("last_error").ShouldBe("HTTP 503 Service Unavailable: busy");
        first.Timestamp("next_retry_at").ShouldBe(api.Now.AddSeconds(2), TimeSpan.FromMilliseconds(1));
        first["completed_at"].ShouldBeNull();

        api.Clock.Advance(TimeSpan.FromSeconds(1));
        await api.DeliverAsync();
        (await receiver.WaitForAsync(1)).Count.ShouldBe(1);
        (await api.SingleDeliveryAsync(id))["attempts"]!.GetValue<int>().ShouldBe(1);

        api.Clock.Advance(TimeSpan.FromSeconds(1));
        await api.DeliverAsync();
        var second = await api.SingleDeliveryAsync(id);
        second["attempts"]!.GetValue<int>().ShouldBe(2);
        second.Timestamp("next_retry_at").ShouldBe(api.Now.AddSeconds(4), TimeSpan.FromMilliseconds(1));

        api.Clock.Advance(TimeSpan.FromSeconds(4));
        await api.DeliverAsync();
        var dead = await api.SingleDeliveryAsync(id);
        dead.Str("status").ShouldBe("dead");
        dead["attempts"]!.GetValue<int>().ShouldBe(3);
        dead.Timestamp("completed_at").ShouldBe(api.Now, TimeSpan.FromMilliseconds(1));
        receiver.Received.Count.ShouldBe(3);

        api.Clock.Advance(TimeSpan.FromMinutes(5));
        await api.DeliverAsync();
        receiver.Received.Count.ShouldBe(3);
        var audit = await api.ScalarAsync<string>(
            "SELECT details::text FROM audit_logs WHERE action = 'webhook.delivery_failed' AND actor_type = 'system' AND resource_type = 'webhook_subscription' AND resource_id = @id",
            ("id", id));
        var details = JsonNode.Parse(audit)!;
        details.Str("delivery_id").ShouldBe(dead.Str("id"));
        details["attempts"]!.GetValue<int>().ShouldBe(3);
        details.Str("error").ShouldBe("HTTP 503 Service Unavailable: busy");
    }

    [Theory]
    [InlineData(400, "dead", "HTTP 400 Bad Request: nope")]
    [InlineData(404, "dead", "HTTP 404 Not Found: nope")]
    [InlineData(410, "dead", "HTTP 410 Gone: nope")]
    [InlineData(408, "failed", "HTTP 408 Request Timeout: nope")]
    [InlineData(425, "failed", "HTTP 425 Too Early: nope")]
    [InlineData(429, "failed", "HTTP 429 Too Many Requests: nope")]
    [InlineData(500, "failed", "HTTP 500 Internal Server Error: nope")]
    public async Task A_4xx_is_dead_at_once_except_408_425_and_429(int status, string outcome, string error)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = _ => status;
        receiver.ResponseBody = "nope";
        var type = Hooks.UniqueType();
        var id = await api.SubscribeAsync(receiver.Url, [type], new { max_retries = 5 });
        await api.PublishAsync(type, new Dictionary<string, object?>());

        await api.DeliverAsync();

        var delivery = await api.SingleDeliveryAsync(id);
        delivery.Str("status").ShouldBe(outcome);
        delivery.Str("last_error").ShouldBe(error);
        delivery["attempts"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task A_long_error_body_is_cut_to_200_characters_in_last_error()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = _ => 500;
        receiver.ResponseBody = new string('x', 300) + "\0";
        var type = Hooks.UniqueType();
        var id = await api.SubscribeAsync(receiver.Url, [type]);
        await api.PublishAsync(type, new Dictionary<string, object?>());

        await api.DeliverAsync();

        (await api.SingleDeliveryAsync(id)).Str("last_error").ShouldBe("HTTP 500 Internal Server Error: " + new string('x', 200));
    }

    [Fact]
    public async Task Transport_errors_are_retried_and_max_retries_counts_every_attempt()
    {
        var type = Hooks.UniqueType();
        var id = await api.SubscribeAsync("http://127.0.0.1:1/closed", [type], new { max_retries = 2 });
        await api.PublishAsync(type, new Dictionary<string, object?>());

        await api.DeliverAsync();
        var failed = await api.SingleDeliveryAsync(id);
        failed.Str("status").ShouldBe("failed");
        failed.Str("last_error").ShouldStartWith("Request failed: ");

        api.Clock.Advance(TimeSpan.FromSeconds(2));
        await api.DeliverAsync();
        var dead = await api.SingleDeliveryAsync(id);
        dead.Str("status").ShouldBe("dead");
        dead["attempts"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task Max_retries_zero_is_dead_on_the_first_failure()
    {
        var type = Hooks.UniqueType();
        var id = await api.SubscribeAsync("http://127.0.0.1:1/closed", [type], new { max_retries = 0 });
        await api.PublishAsync(type, new Dictionary<string, object?>());

        await api.DeliverAsync();

        (await api.SingleDeliveryAsync(id)).Str("status").ShouldBe("dead");
    }

    [Fact]
    public async Task The_subscription_timeout_is_honoured()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Delay = TimeSpan.FromSeconds(5);
        var type = Hooks.UniqueType();
        var id = await api.SubscribeAsync(receiver.Url, [type], new { timeout_seconds = 1 });
        await api.PublishAsync(type, new Dictionary<string, object?>());

        await api.DeliverAsync();

        var delivery = await api.SingleDeliveryAsync(id);
        delivery.Str("status").ShouldBe("failed");
        delivery.Str("last_error").ShouldBe("Request failed: operation timed out after 1 s");
    }

    [Fact]
    public async Task Expired_acquisitions_are_released_and_sent_and_live_ones_are_left_alone()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var type = Hooks.UniqueType();
        var id = await api.SubscribeAsync(receiver.Url, [type]);
        await api.PublishAsync(type, new Dictionary<string, object?>());
        await api.ExecuteAsync("UPDATE webhook_deliveries SET status = 'acquired', acquired_until = @until WHERE subscription_id = @id",
            ("until", api.Now.AddSeconds(30)), ("id", id));

        await api.DeliverAsync();
        receiver.Received.ShouldBeEmpty();
        (await api.SingleDeliveryAsync(id)).Str("status").ShouldBe("acquired");

        api.Clock.Advance(TimeSpan.FromSeconds(31));
        await api.DeliverAsync();

        (await receiver.WaitForAsync(1)).Count.ShouldBe(1);
        (await api.SingleDeliveryAsync(id)).Str("status").ShouldBe("success");
    }

    [Fact]
    public async Task Deliveries_for_agents_are_not_sent_by_the_broker()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var type = Hooks.UniqueType();
        var id = await api.SubscribeAsync(receiver.Url, [type], new { target_labels = new[] { "in-cluster" } });
        await api.PublishAsync(type, new Dictionary<string, object?>());

        await api.DeliverAsync();

        receiver.Received.ShouldBeEmpty();
        var delivery = await api.SingleDeliveryAsync(id);
        delivery.Str("status").ShouldBe("pending");
        delivery["target_labels"]!.ToJsonString().ShouldBe("""["in-cluster"]""");
    }

    [Fact]
    public async Task The_batch_size_is_read_from_the_settings_on_every_run()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var type = Hooks.UniqueType();
        var id = await api.SubscribeAsync(receiver.Url, [type]);
        await api.DeliverAsync();
        await api.PublishAsync(type, new Dictionary<string, object?>());
        await api.PublishAsync(type, new Dictionary<string, object?>());
        var settings = api.Services.GetRequiredService<BrokkrSettings>();
        settings.Broker.WebhookDeliveryBatchSize = 1;
        try
        {
            (await api.DeliverAsync()).Claimed.ShouldBe(1);
            (await api.DeliveriesAsync(id, "?status=pending")).Count.ShouldBe(1);
        }
        finally
        {
            settings.Broker.WebhookDeliveryBatchSize = 50;
        }

        (await api.DeliverAsync()).Claimed.ShouldBe(1);
        (await api.DeliveriesAsync(id, "?status=success")).Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_secret_that_cannot_be_decrypted_makes_the_delivery_dead_and_is_counted()
    {
        var type = Hooks.UniqueType();
        var id = await api.SubscribeAsync("https://x.test/hook", [type]);
        await api.PublishAsync(type, new Dictionary<string, object?>());
        await api.ExecuteAsync("UPDATE webhook_subscriptions SET url_encrypted = @junk WHERE id = @id", ("junk", new byte[40]), ("id", id));
        var before = WebhookMetrics.DecryptFailureCount("url", "broker");

        await api.DeliverAsync();

        var delivery = await api.SingleDeliveryAsync(id);
        delivery.Str("status").ShouldBe("dead");
        delivery.Str("last_error").ShouldStartWith("Failed to decrypt URL: ");
        WebhookMetrics.DecryptFailureCount("url", "broker").ShouldBe(before + 1);
    }

    [Fact]
    public async Task The_test_endpoint_sends_a_webhook_test_event_and_reports_success()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var id = await api.SubscribeAsync(receiver.Url, ["stack.created"], new { auth_header = "Token t", signing_secret = "s" });

        var response = await api.Admin().PostAsync($"/api/v1/webhooks/{id}/test", null);

        (await response.Content.ReadAsStringAsync()).ShouldBe("""{"success":true,"status_code":200,"message":"Test delivery successful"}""");
        var request = receiver.Received.ShouldHaveSingleItem();
        request.Header("authorization").ShouldBe("Token t");
        request.Header("x-brokkr-signature").ShouldNotBeNull();
        var body = request.Json;
        body.AsObject().Select(p => p.Key).ShouldBe(["id", "event_type", "timestamp", "data"]);
        body.Str("event_type").ShouldBe("webhook.test");
        body["data"]!.AsObject().Select(p => p.Key).ShouldBe(["message", "subscription_id"]);
        body["data"]!.Str("subscription_id").ShouldBe(id.ToString());
        (await api.DeliveriesAsync(id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_test_endpoint_reports_a_failing_answer_and_a_failed_request()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = _ => 500;
        receiver.ResponseBody = new string('b', 600);
        var failing = await api.SubscribeAsync(receiver.Url, ["*"]);

        var error = await (await api.Admin().PostAsync($"/api/v1/webhooks/{failing}/test", null)).ShouldFailAsync(HttpStatusCode.BadRequest, "webhook_test_failed");
        error.Str("message").ShouldBe("endpoint returned HTTP 500 Internal Server Error");
        error["details"]!["status_code"]!.GetValue<int>().ShouldBe(500);
        error["details"]!.Str("body").ShouldBe(new string('b', 500));

        var closed = await api.SubscribeAsync("http://127.0.0.1:1/closed", ["*"]);
        var transport = await (await api.Admin().PostAsync($"/api/v1/webhooks/{closed}/test", null)).ShouldFailAsync(HttpStatusCode.BadRequest, "webhook_test_failed");
        transport.Str("message").ShouldStartWith("request failed: ");
        transport["details"].ShouldBeNull();
        await api.Admin().DeleteAsync($"/api/v1/webhooks/{failing}");
        await api.Admin().DeleteAsync($"/api/v1/webhooks/{closed}");
    }

    [Fact]
    public void The_jobs_are_declared_with_the_reference_intervals()
    {
        var jobs = api.Services.GetServices<ScheduledRequest>().ToDictionary(j => j.Key);

        jobs[DeliverWebhooks.JobKey].Interval(new BrokkrSettings()).ShouldBe(TimeSpan.FromSeconds(5));
        jobs[DeliverWebhooks.JobKey].Interval(new BrokkrSettings { Broker = { WebhookDeliveryIntervalSeconds = 12 } }).ShouldBe(TimeSpan.FromSeconds(12));
        jobs[DeliverWebhooks.JobKey].CreateRequest().ShouldBeOfType<DeliverWebhooks.Command>();
        jobs[CleanupWebhookDeliveries.JobKey].Interval(new BrokkrSettings()).ShouldBe(TimeSpan.FromHours(1));
        jobs[CleanupWebhookDeliveries.JobKey].CreateRequest().ShouldBeOfType<CleanupWebhookDeliveries.Command>();
    }
}
