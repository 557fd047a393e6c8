using System.Net;
using Brokkr.Agent.Reporting;
using Brokkr.Agent.Tests.Support;
using Brokkr.Contracts.Agents;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Brokkr.Agent.Tests.Loop;

/// <summary>The on-disk report queue and the broker's batch route (ADR 0031).</summary>
public sealed class EventQueueTests : IDisposable
{
    private readonly FakeBroker _broker = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
    private readonly string _stateDir = Path.Combine(Path.GetTempPath(), "brokkr-agent-tests", Guid.NewGuid().ToString("N"));

    public EventQueueTests() => Directory.CreateDirectory(_stateDir);

    public void Dispose() => Directory.Delete(_stateDir, recursive: true);

    private EventQueue Queue() => new(_broker, _stateDir, _time, NullLogger<EventQueue>.Instance);

    private NewAgentEvent Event(string message) => new(_broker.Agent.Id, Guid.NewGuid(), "DEPLOY", "SUCCESS", message);

    [Fact]
    public async Task Given_several_queued_events_then_they_go_in_batches_of_at_most_100_in_order()
    {
        var queue = Queue();
        for (var i = 0; i < 150; i++)
        {
            queue.Enqueue(Event($"e{i}"));
        }

        (await queue.SendPendingAsync(CancellationToken.None)).ShouldBeTrue();

        _broker.BatchSizes.ShouldBe([EventQueue.MaxBatch, 50]);
        _broker.Events.Select(e => e.Message).ShouldBe(Enumerable.Range(0, 150).Select(i => $"e{i}"));
        queue.Count.ShouldBe(0);
        Queue().Count.ShouldBe(0);
    }

    [Fact]
    public async Task Given_one_queued_event_then_it_goes_to_the_single_route()
    {
        var queue = Queue();
        queue.Enqueue(Event("only"));

        (await queue.SendPendingAsync(CancellationToken.None)).ShouldBeTrue();

        _broker.BatchSizes.ShouldBeEmpty();
        _broker.Events.Single().Message.ShouldBe("only");
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.MethodNotAllowed)]
    public async Task Given_an_older_broker_without_the_batch_route_then_events_go_one_by_one_and_batches_are_tried_again_later(HttpStatusCode answer)
    {
        var queue = Queue();
        for (var i = 0; i < 5; i++)
        {
            queue.Enqueue(Event($"e{i}"));
        }

        _broker.BatchAnswer = answer;

        (await queue.SendPendingAsync(CancellationToken.None)).ShouldBeTrue();

        _broker.Events.Select(e => e.Message).ShouldBe(["e0", "e1", "e2", "e3", "e4"]);
        _broker.BatchAnswer = null;
        queue.Enqueue(Event("a"));
        queue.Enqueue(Event("b"));
        (await queue.SendPendingAsync(CancellationToken.None)).ShouldBeTrue();
        _broker.BatchSizes.ShouldBeEmpty();

        _time.Advance(EventQueue.BatchRetryAfter);
        queue.Enqueue(Event("c"));
        queue.Enqueue(Event("d"));
        (await queue.SendPendingAsync(CancellationToken.None)).ShouldBeTrue();
        _broker.BatchSizes.ShouldBe([2]);
    }

    [Fact]
    public async Task Given_a_batch_refused_as_a_whole_then_its_events_go_one_by_one_and_only_the_bad_one_is_dropped()
    {
        var queue = Queue();
        foreach (var message in new[] { "e0", "bad", "e2" })
        {
            queue.Enqueue(Event(message));
        }

        _broker.RefusedMessages.Add("bad");

        (await queue.SendPendingAsync(CancellationToken.None)).ShouldBeTrue();

        _broker.Events.Select(e => e.Message).ShouldBe(["e0", "e2"]);
        queue.Count.ShouldBe(0);
    }

    [Fact]
    public async Task Given_the_broker_down_then_the_batch_stays_queued_on_disk_and_goes_later()
    {
        var queue = Queue();
        for (var i = 0; i < 3; i++)
        {
            queue.Enqueue(Event($"e{i}"));
        }

        _broker.Down = true;

        (await queue.SendPendingAsync(CancellationToken.None)).ShouldBeFalse();

        _broker.Events.ShouldBeEmpty();
        var restarted = Queue();
        restarted.Count.ShouldBe(3);
        _broker.Down = false;
        (await restarted.SendPendingAsync(CancellationToken.None)).ShouldBeTrue();
        _broker.BatchSizes.ShouldBe([3]);
        restarted.Count.ShouldBe(0);
    }
}
