using Brokkr.Shared.Configuration;
using Brokkr.Shared.Jobs;
using Brokkr.WorkOrders.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Brokkr.WorkOrders.Tests;

public sealed class MaintenanceTests(ClockedApiFactory api) : IClassFixture<ClockedApiFactory>
{
    private readonly Scenario _given = new(api);
    private readonly HttpClient _admin = api.Admin();

    private async Task<(Guid Order, Guid Agent, HttpClient Client)> ClaimedAsync(int maxRetries, int backoffSeconds = 60, int claimTimeoutSeconds = 3600)
    {
        var agent = await _given.AgentAsync();
        var client = api.WithPak(agent.Pak);
        var id = await _admin.OrderForAsync([agent.Id], maxRetries: maxRetries, backoffSeconds: backoffSeconds, claimTimeoutSeconds: claimTimeoutSeconds);
        await client.ClaimAsync(id, agent.Id).ShouldBeAsync(HttpStatusCode.OK);
        return (id, agent.Id, client);
    }

    private async Task<JsonNode> OrderAsync(Guid id) => await _admin.GetAsync($"/api/v1/work-orders/{id}").JsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task Given_backoff_of_one_second_then_retries_are_due_after_2_4_and_8_seconds()
    {
        var (id, agentId, client) = await ClaimedAsync(maxRetries: 5, backoffSeconds: 1);

        foreach (var wait in new[] { 2, 4, 8 })
        {
            var failedAt = api.Now;
            await client.CompleteAsync(id, new { success = false, message = "flaky" }).ShouldBeAsync(HttpStatusCode.Accepted);
            (await OrderAsync(id)).Time("next_retry_after").ShouldBe(failedAt.AddSeconds(wait));

            api.Clock.Advance(TimeSpan.FromSeconds(wait) - TimeSpan.FromMilliseconds(1));
            (await api.MaintainAsync()).RetriesDue.ShouldNotContain(id);
            (await client.PendingAsync(agentId)).ShouldNotContain(id);
            await client.ClaimAsync(id, agentId).ShouldFailAsync(HttpStatusCode.NotFound, "work_order_not_claimable");

            api.Clock.Advance(TimeSpan.FromMilliseconds(1));
            (await api.MaintainAsync()).RetriesDue.ShouldContain(id);
            var order = await OrderAsync(id);
            order.Str("status").ShouldBe("PENDING");
            order["next_retry_after"].ShouldBeNull();
            order.Str("last_error").ShouldBe("flaky");
            (await client.PendingAsync(agentId)).ShouldContain(id);
            await client.ClaimAsync(id, agentId).ShouldBeAsync(HttpStatusCode.OK);
        }

        (await OrderAsync(id)).Int("retry_count").ShouldBe(3);
    }

    [Fact]
    public async Task Given_a_claim_past_its_timeout_then_it_is_offered_again_as_a_failed_attempt()
    {
        var (id, agentId, client) = await ClaimedAsync(maxRetries: 2, claimTimeoutSeconds: 10);

        api.Clock.Advance(TimeSpan.FromSeconds(10));
        (await api.MaintainAsync()).StaleClaimsRequeued.ShouldNotContain(id);
        (await OrderAsync(id)).Str("status").ShouldBe("CLAIMED");

        api.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var result = await api.MaintainAsync();

        result.StaleClaimsRequeued.ShouldContain(id);
        result.StaleClaimsFailed.ShouldNotContain(id);
        var order = await OrderAsync(id);
        order.Str("status").ShouldBe("PENDING");
        order["claimed_by"].ShouldBeNull();
        order["claimed_at"].ShouldBeNull();
        order.Int("retry_count").ShouldBe(1);
        order.Str("last_error").ShouldBe("claim timed out");
        order.Time("last_error_at").ShouldBe(api.Now);
        var audit = (await api.AuditAsync("workorder.retry", id)).ShouldHaveSingleItem();
        (audit.ActorType, audit.ActorId).ShouldBe(("system", (Guid?)null));
        (await client.PendingAsync(agentId)).ShouldContain(id);
        await client.CompleteAsync(id, new { success = true }).ShouldFailAsync(HttpStatusCode.Forbidden, "work_order_not_claimed_by_agent");
    }

    [Fact]
    public async Task Given_a_stale_claim_with_no_retries_left_then_it_lands_in_the_log_as_failed()
    {
        var (id, agentId, client) = await ClaimedAsync(maxRetries: 1, claimTimeoutSeconds: 5);
        api.Clock.Advance(TimeSpan.FromSeconds(6));
        (await api.MaintainAsync()).StaleClaimsRequeued.ShouldContain(id);
        await client.ClaimAsync(id, agentId).ShouldBeAsync(HttpStatusCode.OK);
        var claimedAt = api.Now;

        api.Clock.Advance(TimeSpan.FromSeconds(6));
        var result = await api.MaintainAsync();

        result.StaleClaimsFailed.ShouldContain(id);
        result.StaleClaimsRequeued.ShouldNotContain(id);
        var log = await _admin.GetAsync($"/api/v1/work-order-log/{id}").JsonAsync(HttpStatusCode.OK);
        log["success"]!.GetValue<bool>().ShouldBeFalse();
        log.Str("result_message").ShouldBe("claim timed out");
        log.Int("retries_attempted").ShouldBe(1);
        log.Id("claimed_by").ShouldBe(agentId);
        log.Time("claimed_at").ShouldBe(claimedAt);
        log.Time("completed_at").ShouldBe(api.Now);
        var order = await OrderAsync(id);
        order.Str("status").ShouldBe("FAILED");
        order.Str("last_error").ShouldBe("claim timed out");
        var audit = (await api.AuditAsync("workorder.failed", id)).ShouldHaveSingleItem();
        (audit.ActorType, audit.ActorId).ShouldBe(("system", (Guid?)null));
        audit.Details!["retryable"]!.GetValue<bool>().ShouldBeFalse();
        await client.CompleteAsync(id, new { success = true }).ShouldFailAsync(HttpStatusCode.NotFound, "work_order_not_found");
    }

    [Fact]
    public async Task Given_a_claim_completed_in_time_then_maintenance_leaves_it_alone()
    {
        var (id, _, client) = await ClaimedAsync(maxRetries: 0, claimTimeoutSeconds: 5);
        api.Clock.Advance(TimeSpan.FromSeconds(4));
        await client.CompleteAsync(id, new { success = true }).ShouldBeAsync(HttpStatusCode.OK);

        api.Clock.Advance(TimeSpan.FromSeconds(10));
        var result = await api.MaintainAsync();

        result.StaleClaimsFailed.ShouldNotContain(id);
        (await _admin.GetAsync($"/api/v1/work-order-log/{id}").JsonAsync(HttpStatusCode.OK))["success"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Given_pending_orders_then_maintenance_changes_nothing_about_them()
    {
        var agent = await _given.AgentAsync();
        var id = await _admin.OrderForAsync([agent.Id], claimTimeoutSeconds: 1);
        api.Clock.Advance(TimeSpan.FromHours(2));

        var result = await api.MaintainAsync();

        result.RetriesDue.Concat(result.StaleClaimsRequeued).Concat(result.StaleClaimsFailed).ShouldNotContain(id);
        var order = await OrderAsync(id);
        order.Str("status").ShouldBe("PENDING");
        order.Int("retry_count").ShouldBe(0);
    }

    [Fact]
    public void Maintenance_is_declared_as_a_scheduled_request_every_ten_seconds()
    {
        var job = api.Services.GetServices<ScheduledRequest>().Single(r => r.Key == WorkOrdersModule.MaintenanceJobKey);

        job.Interval(new BrokkrSettings()).ShouldBe(TimeSpan.FromSeconds(10));
        job.Interval(new BrokkrSettings { Broker = { WorkOrderMaintenanceIntervalSeconds = 3 } }).ShouldBe(TimeSpan.FromSeconds(3));
        job.CreateRequest().ShouldBeOfType<MaintainWorkOrders.Command>();
        job.Description.ShouldNotBeNullOrWhiteSpace();
    }
}
