using Brokkr.Contracts.Stacks;
using Brokkr.Shared.Configuration;
using Brokkr.Shared.Json;
using Brokkr.Stacks.Data;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Brokkr.Stacks.Tests.Unit;

public sealed class TargetStateCacheUnitTests
{
    private static readonly Guid Agent = Guid.NewGuid();
    private static readonly Guid Other = Guid.NewGuid();

    [Fact]
    public void An_answer_read_while_the_agent_changed_is_not_kept()
    {
        var cache = Online();
        var ticket = cache.Begin(Agent);
        cache.Invalidate(Agent);
        cache.Store(ticket, Request(Agent).Scope, "stale", [Object()]);

        cache.TryGet(Request(Agent), out _).ShouldBeFalse();

        cache.Store(cache.Begin(Agent), Request(Agent).Scope, "fresh", [Object()]);
        cache.TryGet(Request(Agent), out var state).ShouldBeTrue();
        state.ETag.ShouldBe("fresh");
    }

    [Fact]
    public void An_answer_read_while_everything_changed_is_not_kept()
    {
        var cache = Online();
        var ticket = cache.Begin(Agent);
        cache.InvalidateAll();
        cache.Store(ticket, Request(Agent).Scope, "stale", [Object()]);

        cache.TryGet(Request(Agent), out _).ShouldBeFalse();
    }

    [Fact]
    public void Dropping_one_agent_keeps_the_others()
    {
        var cache = Online();
        cache.Store(cache.Begin(Agent), Request(Agent).Scope, "a", [Object()]);
        cache.Store(cache.Begin(Other), Request(Other).Scope, "b", [Object()]);

        cache.Invalidate(Agent);

        cache.TryGet(Request(Agent), out _).ShouldBeFalse();
        cache.TryGet(Request(Other), out var other).ShouldBeTrue();
        other.ETag.ShouldBe("b");
    }

    [Fact]
    public void Each_mode_and_cursor_is_its_own_answer()
    {
        var cache = Online();
        cache.Store(cache.Begin(Agent), Request(Agent, full: true).Scope, "full", [Object()]);

        cache.TryGet(Request(Agent, full: false), out _).ShouldBeFalse();
        cache.TryGet(Request(Agent, full: true, since: 3), out _).ShouldBeFalse();
        cache.TryGet(Request(Agent, full: true), out var full).ShouldBeTrue();
        full.ETag.ShouldBe("full");
    }

    [Fact]
    public void Agents_offered_the_same_object_share_its_json()
    {
        var cache = Online();
        var shared = Object();
        var a = cache.Store(cache.Begin(Agent), Request(Agent).Scope, "a", [shared]);
        var b = cache.Store(cache.Begin(Other), Request(Other).Scope, "a", [shared]);

        b.Objects![0].ShouldBeSameAs(a.Objects![0]);
        cache.ObjectBytes.ShouldBe(a.Objects[0].Length);
    }

    [Fact]
    public void Beyond_the_memory_budget_only_the_tag_is_kept()
    {
        var cache = Online(megabytes: 0);
        var answered = cache.Store(cache.Begin(Agent), Request(Agent).Scope, "tag", [Object()]);

        answered.Objects.ShouldNotBeNull();
        cache.TryGet(Request(Agent), out var kept).ShouldBeTrue();
        kept.ETag.ShouldBe("tag");
        kept.Objects.ShouldBeNull();
    }

    [Fact]
    public void Nothing_is_answered_while_offline_or_disabled()
    {
        var offline = new TargetStateCache(Settings(60, 16), Json());
        offline.Store(offline.Begin(Agent), Request(Agent).Scope, "a", [Object()]);
        offline.TryGet(Request(Agent), out _).ShouldBeFalse();

        var disabled = Online(seconds: 0);
        disabled.Store(disabled.Begin(Agent), Request(Agent).Scope, "a", [Object()]);
        disabled.TryGet(Request(Agent), out _).ShouldBeFalse();
    }

    [Fact]
    public void Notices_and_notifications_name_the_agents_to_drop()
    {
        var cache = Online();
        var signals = new TargetStateSignals(null!, cache, Microsoft.Extensions.Logging.Abstractions.NullLogger<TargetStateSignals>.Instance);
        cache.Store(cache.Begin(Agent), Request(Agent).Scope, "a", [Object()]);
        cache.Store(cache.Begin(Other), Request(Other).Scope, "b", [Object()]);

        signals.OnNotice("some other notice");
        signals.OnNotice($"brokkr_target_state {Agent}");
        cache.TryGet(Request(Agent), out _).ShouldBeFalse();
        cache.TryGet(Request(Other), out _).ShouldBeTrue();

        signals.Apply("*");
        cache.TryGet(Request(Other), out _).ShouldBeFalse();
    }

    private static TargetStateCache Online(int seconds = 60, int megabytes = 16)
        => new(Settings(seconds, megabytes), Json()) { Online = true };

    private static BrokkrSettings Settings(int seconds, int megabytes)
        => new() { Broker = new BrokerSettings { TargetStateCacheSeconds = seconds, TargetStateCacheMegabytes = megabytes } };

    private static IOptions<JsonOptions> Json()
    {
        var options = new JsonOptions();
        BrokkrJson.Configure(options.SerializerOptions);
        return Options.Create(options);
    }

    private static TargetStateRequest Request(Guid agent, bool full = true, long? since = null) => new(agent, full, since, []);

    private static DeploymentObject Object()
        => new(Guid.NewGuid(), DateTime.UtcNow, DateTime.UtcNow, null, 1, Guid.NewGuid(), "kind: ConfigMap\n", "sum", DateTime.UtcNow, false);
}
