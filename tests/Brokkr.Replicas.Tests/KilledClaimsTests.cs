using Brokkr.Replicas.Tests.Support;

namespace Brokkr.Replicas.Tests;

/// <summary>
/// SIGKILL of the replica that holds claims: webhook deliveries it claimed (and was still sending to a
/// slow subscriber), the clustered Quartz job it was executing, and a work order claimed through it.
/// A replica started afterwards on the same database retakes all of them once their leases run out.
/// </summary>
public sealed class KilledClaimsTests
{
    private const int Deliveries = 4;

    /// <summary>A broker claim outlives the subscription's timeout and is at least 60 s (DeliverWebhooks.ClaimSql).</summary>
    private static readonly TimeSpan DeliveryLease = TimeSpan.FromSeconds(60);

    public static readonly Dictionary<string, string> JobsOn = new()
    {
        ["BROKKR__JOBS__ENABLED"] = "true",
        ["BROKKR__BROKER__WEBHOOK_DELIVERY_INTERVAL_SECONDS"] = "1",
        ["BROKKR__BROKER__WORK_ORDER_MAINTENANCE_INTERVAL_SECONDS"] = "1",
    };

    [Fact]
    public async Task Claims_held_by_a_killed_replica_expire_and_are_retaken_by_a_survivor()
    {
        var database = await BrokkrApiFactory.CreateMigratedDatabaseAsync();
        try
        {
            await using var receiver = await HoldingReceiver.StartAsync();
            await using var a = await BrokerProcess.StartAsync(database, JobsOn);
            using var admin = a.Admin();

            // Paused while the deliveries are queued, so that one run claims them all.
            (await admin.PostAsync("/api/v1/admin/jobs/webhook-delivery/pause", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
            await (await admin.PostJsonAsync("/api/v1/webhooks", new
            {
                name = Given.Unique("hook"),
                url = receiver.Url,
                event_types = new[] { "stack.created" },
                timeout_seconds = 25,
                max_retries = 5,
            })).JsonAsync(HttpStatusCode.Created);
            var generator = await admin.GeneratorAsync();
            for (var i = 0; i < Deliveries; i++)
            {
                await admin.StackAsync(generator.Id);
            }

            (await Sql.ScalarAsync(database, "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'")).ShouldBe(Deliveries);
            (await admin.PostAsync("/api/v1/admin/jobs/webhook-delivery/resume", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

            // A claims every delivery and sends it; the subscriber holds them all unanswered.
            await Given.EventuallyAsync(() => Task.FromResult(receiver.Arrived.Distinct().Count() == Deliveries), "A sends every delivery", TimeSpan.FromSeconds(30));
            var held = receiver.Arrived.Distinct().ToHashSet();
            var leases = await Sql.RowsAsync(database, "SELECT id, acquired_until FROM webhook_deliveries WHERE status = 'acquired'");
            leases.Select(r => (Guid)r[0]!).ToHashSet().SetEquals(held).ShouldBeTrue("the rows A claimed are the ones it is sending");
            var instances = await Sql.RowsAsync(database, "SELECT instance_name FROM qrtz_scheduler_state");
            instances.Count.ShouldBe(1, "only A runs the scheduler so far");
            var deadInstance = (string)instances[0][0]!;
            (await Sql.ScalarAsync(database, $"SELECT count(*) FROM qrtz_fired_triggers WHERE instance_name = '{deadInstance}' AND job_name = 'webhook-delivery' AND state = 'EXECUTING'"))
                .ShouldBe(1, "A is executing the delivery job, waiting on the subscriber");

            // A work order claimed through A by an agent that then goes silent.
            var agent = await admin.AgentAsync();
            (await admin.PutJsonAsync($"/api/v1/agents/{agent.Id}", new { status = "ACTIVE" })).StatusCode.ShouldBe(HttpStatusCode.OK);
            var order = (await (await admin.PostJsonAsync("/api/v1/work-orders", new
            {
                work_type = "custom",
                yaml_content = Given.Yaml,
                claim_timeout_seconds = 10,
                backoff_seconds = 1,
                max_retries = 3,
                targeting = new { agent_ids = new[] { agent.Id } },
            })).JsonAsync(HttpStatusCode.Created)).Id();
            using var agentOnA = a.Client(agent.Pak);
            (await (await agentOnA.PostJsonAsync($"/api/v1/work-orders/{order}/claim", new { agent_id = agent.Id })).JsonAsync(HttpStatusCode.OK))
                .Str("status").ShouldBe("CLAIMED");

            await a.KillAsync();
            receiver.Holding = false;
            (await Sql.ScalarAsync(database, "SELECT count(*) FROM webhook_deliveries WHERE status = 'acquired'"))
                .ShouldBe(Deliveries, "nothing was recorded for the deliveries A was sending");
            receiver.Answered.ShouldBeEmpty();

            await using var b = await BrokerProcess.StartAsync(database, JobsOn);

            // At least once, none lost: every delivery A held is answered 200 and recorded as a success by B.
            await Given.EventuallyAsync(
                async () => await Sql.ScalarAsync(database, "SELECT count(*) FROM webhook_deliveries WHERE status = 'success'") == Deliveries,
                "B delivers what A had claimed", DeliveryLease + TimeSpan.FromSeconds(60));
            receiver.Answered.ToHashSet().SetEquals(held).ShouldBeTrue();
            foreach (var lease in leases)
            {
                var completed = await Sql.ScalarAsync(database,
                    $"SELECT count(*) FROM webhook_deliveries WHERE id = '{lease[0]}' AND completed_at >= '{(DateTime)lease[1]!:O}'::timestamptz");
                completed.ShouldBe(1, "retaken only after A's lease ran out, not while it might still answer");
            }

            // Quartz recovered the dead node: its in-flight fire is gone and B runs the delivery job.
            await Given.EventuallyAsync(
                async () => await Sql.ScalarAsync(database, $"SELECT count(*) FROM qrtz_fired_triggers WHERE instance_name = '{deadInstance}'") == 0,
                "the survivor recovers the dead instance's fired triggers", TimeSpan.FromSeconds(30));
            (await Sql.ScalarAsync(database, $"SELECT count(*) FROM qrtz_scheduler_state WHERE instance_name = '{deadInstance}'")).ShouldBe(0);
            (await Sql.ScalarAsync(database,
                $"SELECT coalesce(sum(substring(message FROM 'Released = (\\d+)')::int), 0) FROM job_runs WHERE job_key = 'webhook-delivery' AND instance <> '{deadInstance}'"))
                .ShouldBe(Deliveries, "B released A's expired claims");

            // The work order's claim timed out while its claimant (and A) were gone; B offers it again.
            using var agentOnB = b.Client(agent.Pak);
            await Given.EventuallyAsync(
                async () => (await agentOnB.PostJsonAsync($"/api/v1/work-orders/{order}/claim", new { agent_id = agent.Id })).StatusCode == HttpStatusCode.OK,
                "the timed-out work order is claimed again through B", TimeSpan.FromSeconds(40));
            var reclaimed = await (await b.Admin().GetAsync($"/api/v1/work-orders/{order}")).JsonAsync(HttpStatusCode.OK);
            reclaimed.Str("status").ShouldBe("CLAIMED");
            reclaimed["retry_count"]!.GetValue<int>().ShouldBe(1);
            b.HasExited.ShouldBeFalse();
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }
}
