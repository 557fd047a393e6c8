using Brokkr.Agent.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace Brokkr.Agent.Tests.Domain;

public sealed class TelemetryUnitTests
{
    [Fact]
    public void The_token_bucket_lets_rate_lines_through_per_second_and_counts_the_rest()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2025-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var bucket = new TokenBucket(100, time);

        Enumerable.Range(0, 150).Count(_ => bucket.TryTake()).ShouldBe(100);
        bucket.TakeDrops().ShouldBe((50L, time.GetUtcNow()));
        bucket.TakeDrops().ShouldBeNull();

        time.Advance(TimeSpan.FromMilliseconds(500));
        Enumerable.Range(0, 100).Count(_ => bucket.TryTake()).ShouldBe(50);
    }

    [Fact]
    public void The_ownership_cache_forgets_after_five_minutes_and_evicts_the_least_recently_used()
    {
        var time = new FakeTimeProvider();
        var cache = new OwnershipCache(2, time);
        var stack = Guid.NewGuid();
        cache.Set("a", stack);
        cache.Set("b", null);
        cache.TryGet("a", out _).ShouldBeTrue();
        cache.Set("c", null);

        cache.TryGet("b", out _).ShouldBeFalse();
        cache.TryGet("a", out var found).ShouldBeTrue();
        found.ShouldBe(stack);
        cache.TryGet("c", out var negative).ShouldBeTrue();
        negative.ShouldBeNull();

        time.Advance(OwnershipCache.Lifetime);
        cache.TryGet("a", out _).ShouldBeFalse();
    }
}
