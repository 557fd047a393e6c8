using Brokkr.Auth.Authentication;
using Brokkr.Contracts.Auth;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Configuration;

namespace Brokkr.Auth.Tests;

public sealed class PakCacheTests
{
    private static PakCache Cache(int ttlSeconds = 60)
        => new(new BrokkrSettings { Broker = new BrokerSettings { AuthCacheTtlSeconds = ttlSeconds } });

    [Fact]
    public void A_fleet_larger_than_the_capacity_keeps_most_identities_cached()
    {
        var cache = Cache();
        var agents = Enumerable.Range(0, PakCache.Capacity + 500).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var agent in agents)
        {
            cache.Set(agent.ToString("N"), new Caller(CallerKind.Agent, agent));
        }

        cache.Count.ShouldBeLessThanOrEqualTo(PakCache.Capacity);
        cache.Count.ShouldBeGreaterThanOrEqualTo(PakCache.Capacity * 9 / 10);
        cache.TryGet(agents[^1].ToString("N"), out var last).ShouldBeTrue();
        last.Id.ShouldBe(agents[^1]);
    }

    [Fact]
    public void Rotation_drops_only_that_owners_identities()
    {
        var cache = Cache();
        var rotated = Guid.NewGuid();
        var other = Guid.NewGuid();
        cache.Set("rotated", new Caller(CallerKind.Agent, rotated));
        cache.Set("other", new Caller(CallerKind.Agent, other));
        cache.Set("generator", new Caller(CallerKind.Generator, rotated));

        cache.Invalidate(PakOwnerKind.Agent, rotated);

        cache.TryGet("rotated", out _).ShouldBeFalse();
        cache.TryGet("other", out _).ShouldBeTrue();
        cache.TryGet("generator", out _).ShouldBeTrue();
    }

    [Fact]
    public void A_zero_ttl_caches_nothing()
    {
        var cache = Cache(ttlSeconds: 0);
        cache.Set("pak", Caller.Admin);
        cache.TryGet("pak", out _).ShouldBeFalse();
    }
}
