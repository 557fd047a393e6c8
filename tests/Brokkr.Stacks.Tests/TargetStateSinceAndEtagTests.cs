using static Brokkr.Stacks.Tests.Support.TargetStateRequests;

namespace Brokkr.Stacks.Tests;

/// <summary>Target state cursors and caching (behaviour §4): <c>since_sequence</c>, the strong ETag and <c>If-None-Match</c>.</summary>
public sealed class TargetStateSinceAndEtagTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);

    [Fact]
    public async Task Since_sequence_keeps_only_newer_objects_after_the_mode_filter()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var a = await _given.StackAsync(generator.Id);
        var b = await _given.StackAsync(generator.Id);
        var c = await _given.StackAsync(generator.Id);
        foreach (var stack in new[] { a, b, c })
        {
            await _given.TargetAsync(agent.Id, stack);
        }

        var oa = await _given.DeploymentObjectAsync(a, Revision("a"));
        var ob = await _given.DeploymentObjectAsync(b, Revision("b"));
        var oc = await _given.DeploymentObjectAsync(c, Revision("c"));
        await api.AgentEventAsync(agent.Id, oc.Id());

        (await api.TargetStateAsync(agent.Id, $"?since_sequence={oa.Sequence()}")).Ids().ShouldBe([ob.Id()]);
        (await api.TargetStateAsync(agent.Id, $"?mode=full&since_sequence={oa.Sequence()}")).Ids().ShouldBe([oc.Id(), ob.Id()]);
        (await api.TargetStateAsync(agent.Id, $"?mode=full&since_sequence={oc.Sequence()}")).ShouldBeEmpty();
        (await api.TargetStateAsync(agent.Id, "?mode=full&since_sequence=0")).Ids().ShouldBe([oc.Id(), ob.Id(), oa.Id()]);
    }

    [Fact]
    public async Task Etag_is_strong_stable_and_changes_with_a_new_revision()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);
        await _given.DeploymentObjectAsync(stack, Revision("e1"));
        var client = api.WithPak(agent.Pak);
        var url = $"/api/v1/agents/{agent.Id}/target-state";

        var first = await client.GetAsync(url);
        var second = await client.GetAsync(url);
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        var etag = first.Headers.ETag!;
        etag.IsWeak.ShouldBeFalse();
        etag.Tag.ShouldMatch("^\"[0-9a-f]{64}\"$");
        second.Headers.ETag!.Tag.ShouldBe(etag.Tag);
        (await api.Admin().GetAsync(url)).Headers.ETag!.Tag.ShouldBe(etag.Tag);

        await _given.DeploymentObjectAsync(stack, Revision("e2"));

        (await client.GetAsync(url)).Headers.ETag!.Tag.ShouldNotBe(etag.Tag);
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("\"other\", {0}")]
    [InlineData("W/{0}")]
    [InlineData("*")]
    public async Task Matching_if_none_match_gets_304_with_an_empty_body_and_the_same_etag(string format)
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);
        await _given.DeploymentObjectAsync(stack, Revision("etag"));
        var client = api.WithPak(agent.Pak);
        var url = $"/api/v1/agents/{agent.Id}/target-state?mode=full";
        var etag = (await client.GetAsync(url)).Headers.ETag!.Tag;

        var response = await client.GetAsync(url, ("If-None-Match", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, etag)));

        response.StatusCode.ShouldBe(HttpStatusCode.NotModified);
        response.Headers.ETag!.Tag.ShouldBe(etag);
        (await response.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Stale_if_none_match_gets_the_full_answer()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);
        await _given.DeploymentObjectAsync(stack, Revision("stale1"));
        var client = api.WithPak(agent.Pak);
        var url = $"/api/v1/agents/{agent.Id}/target-state?mode=full";
        var stale = (await client.GetAsync(url)).Headers.ETag!.Tag;
        var newest = await _given.DeploymentObjectAsync(stack, Revision("stale2"));

        var response = await client.GetAsync(url, ("If-None-Match", stale));

        (await response.ArrayAsync()).Ids().ShouldBe([newest.Id()]);
        response.Headers.ETag!.Tag.ShouldNotBe(stale);
    }

    [Fact]
    public async Task Etag_differs_between_modes_and_cursors_even_for_the_same_objects()
    {
        var generator = await _given.GeneratorAsync();
        var agent = await _given.AgentAsync(generatorIds: generator.Id);
        var stack = await _given.StackAsync(generator.Id);
        await _given.TargetAsync(agent.Id, stack);
        await _given.DeploymentObjectAsync(stack, Revision("modes"));
        var url = $"/api/v1/agents/{agent.Id}/target-state";

        var incremental = await api.Admin().GetAsync(url);
        var full = await api.Admin().GetAsync(url + "?mode=full");
        var since = await api.Admin().GetAsync(url + "?mode=full&since_sequence=0");

        (await incremental.ArrayAsync()).Count.ShouldBe(1);
        (await full.ArrayAsync()).Count.ShouldBe(1);
        (await since.ArrayAsync()).Count.ShouldBe(1);
        new[] { incremental.Headers.ETag!.Tag, full.Headers.ETag!.Tag, since.Headers.ETag!.Tag }.Distinct().Count().ShouldBe(3);
        (await api.Admin().GetAsync(url + "?mode=full", ("If-None-Match", incremental.Headers.ETag!.Tag))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Empty_target_state_has_an_etag_too()
    {
        var agent = await _given.AgentAsync();

        var response = await api.WithPak(agent.Pak).GetAsync($"/api/v1/agents/{agent.Id}/target-state");

        (await response.ArrayAsync()).ShouldBeEmpty();
        var etag = response.Headers.ETag!.Tag;
        (await api.WithPak(agent.Pak).GetAsync($"/api/v1/agents/{agent.Id}/target-state", ("If-None-Match", etag))).StatusCode.ShouldBe(HttpStatusCode.NotModified);
    }
}
