using System.Collections.Concurrent;
using Brokkr.Agent.Tests.Support;
using Brokkr.Agent.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.Tests.Loop;

/// <summary>Agent-side webhook delivery to a receiver on loopback (standing in for an in-cluster URL).</summary>
public sealed class WebhookTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;
    private WebApplication _receiver = null!;
    private Uri _receiverUrl = null!;
    private readonly ConcurrentQueue<(string Path, string Body, Dictionary<string, string> Headers)> _received = new();
    private readonly FakeBroker _broker = new();
    private readonly string _stateDir = Path.Combine(Path.GetTempPath(), "brokkr-agent-tests", Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _receiver = builder.Build();
        _receiver.MapPost("/{**path}", async (HttpContext context, string path) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            _received.Enqueue((path, await reader.ReadToEndAsync(), context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            return path switch
            {
                "gone" => Results.StatusCode(410),
                "slow" => await Slow(),
                _ => Results.NoContent(),
            };
        });
        await _receiver.StartAsync();
        _receiverUrl = new Uri(_receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    private static async Task<IResult> Slow()
    {
        await Task.Delay(TimeSpan.FromSeconds(3));
        return Results.Ok();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _cluster.DisposeAsync();
        if (Directory.Exists(_stateDir))
        {
            Directory.Delete(_stateDir, recursive: true);
        }
    }

    private PendingWebhookDelivery Delivery(string path, string? auth = null, int timeout = 5)
        => new(Guid.NewGuid(), Guid.NewGuid(), "deployment.applied", """{"id":"e1","event_type":"deployment.applied","timestamp":"2025-01-01T00:00:00Z","data":{}}""",
            new Uri(_receiverUrl, path).ToString(), auth, timeout, 3, 0);

    [Fact]
    public async Task Claimed_deliveries_are_posted_with_the_reference_headers_and_their_outcomes_reported()
    {
        var ok = Delivery("hook", auth: "Bearer s3cret") with
        {
            SignatureHeaders = new Dictionary<string, string> { ["X-Brokkr-Timestamp"] = "1735689600", ["X-Brokkr-Signature"] = "sha256=abc" },
        };
        var gone = Delivery("gone");
        var slow = Delivery("slow", timeout: 1);
        var unreachable = Delivery("x") with { Url = "http://127.0.0.1:1/nothing" };
        foreach (var delivery in new[] { ok, gone, slow, unreachable })
        {
            _broker.AddWebhook(delivery);
        }

        await using var agent = await RunningAgent.StartAsync(_broker, _cluster, _stateDir);

        await Eventually.WaitAsync(() => _broker.WebhookResults.Count == 4, "every outcome is reported");
        _broker.WebhookResults[ok.Id].ShouldSatisfyAllConditions(r => r.Success.ShouldBeTrue(), r => r.StatusCode.ShouldBe(204), r => r.DurationMs.ShouldNotBeNull());
        _broker.WebhookResults[gone.Id].ShouldSatisfyAllConditions(r => r.Success.ShouldBeFalse(), r => r.StatusCode.ShouldBe(410));
        _broker.WebhookResults[slow.Id].ShouldSatisfyAllConditions(r => r.Success.ShouldBeFalse(), r => r.StatusCode.ShouldBeNull(), r => r.Error!.ShouldContain("timed out"));
        _broker.WebhookResults[unreachable.Id].ShouldSatisfyAllConditions(r => r.Success.ShouldBeFalse(), r => r.StatusCode.ShouldBeNull(), r => r.Error.ShouldNotBeNullOrEmpty());

        var received = _received.Single(r => r.Path == "hook");
        received.Body.ShouldBe(ok.Payload);
        received.Headers["Content-Type"].ShouldStartWith("application/json");
        received.Headers["X-Brokkr-Event-Type"].ShouldBe("deployment.applied");
        received.Headers["X-Brokkr-Delivery-Id"].ShouldBe(ok.Id.ToString());
        received.Headers["Authorization"].ShouldBe("Bearer s3cret");
        received.Headers["X-Brokkr-Timestamp"].ShouldBe("1735689600");
        received.Headers["X-Brokkr-Signature"].ShouldBe("sha256=abc");
        _received.Single(r => r.Path == "gone").Headers.ContainsKey("Authorization").ShouldBeFalse();
        _received.Single(r => r.Path == "gone").Headers.ContainsKey("X-Brokkr-Signature").ShouldBeFalse();
    }
}
