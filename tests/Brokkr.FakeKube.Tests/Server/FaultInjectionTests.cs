using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Brokkr.FakeKube.Tests.Support;

namespace Brokkr.FakeKube.Tests.Server;

public sealed class FaultInjectionTests : ServerTest
{
    [Fact(Timeout = 30_000)]
    public async Task Given_fault_posted_to_admin_endpoint_then_the_next_matching_requests_fail_and_then_recover()
    {
        using var http = Http();
        using var rule = new StringContent("""{"pathContains":"/configmaps","statusCode":500,"times":2}""", Encoding.UTF8, "application/json");
        (await http.PostAsync("/_fake/faults", rule)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var first = await http.GetAsync("/api/v1/namespaces/default/configmaps");
        var unrelated = await http.GetAsync("/api/v1/namespaces/default/secrets");
        var second = await http.GetAsync("/api/v1/namespaces/default/configmaps");
        var third = await http.GetAsync("/api/v1/namespaces/default/configmaps");

        first.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        (await first.Content.ReadAsStringAsync()).ShouldContain("\"reason\":\"InternalError\"");
        unrelated.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        third.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_429_fault_then_the_answer_carries_retry_after()
    {
        using var http = Http();
        Server.AddFault(new FaultRule { Method = "PATCH", StatusCode = 429, Times = 1 });

        var read = await http.GetAsync("/api/v1/namespaces");
        using var patch = new StringContent("{}", Encoding.UTF8, "application/merge-patch+json");
        var write = await http.PatchAsync("/api/v1/namespaces/default", patch);

        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        write.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        write.Headers.RetryAfter.ShouldNotBeNull();
        (await write.Content.ReadAsStringAsync()).ShouldContain("\"reason\":\"TooManyRequests\"");
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_latency_fault_then_matching_requests_are_slowed_until_cleared()
    {
        using var http = Http();
        Server.AddFault(FaultRule.Latency(TimeSpan.FromMilliseconds(400), "/api/v1/namespaces"));

        var slow = Stopwatch.StartNew();
        (await http.GetAsync("/api/v1/namespaces")).StatusCode.ShouldBe(HttpStatusCode.OK);
        slow.Stop();
        var active = JsonNode.Parse(await http.GetStringAsync("/_fake/faults"))!.AsArray();
        (await http.DeleteAsync("/_fake/faults")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var cleared = JsonNode.Parse(await http.GetStringAsync("/_fake/faults"))!.AsArray();

        slow.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(390));
        active.ShouldHaveSingleItem()!["rule"]!["pathContains"]!.GetValue<string>().ShouldBe("/api/v1/namespaces");
        cleared.ShouldBeEmpty();
    }
}
