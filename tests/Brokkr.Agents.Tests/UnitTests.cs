using System.Text.Json;
using Brokkr.Agents.Features;
using Brokkr.Agents.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Brokkr.Agents.Tests;

public sealed class AgentUpdateTests
{
    [Fact]
    public void Given_object_with_mixed_types_then_only_string_fields_are_taken_and_the_last_duplicate_wins()
    {
        using var document = JsonDocument.Parse("""{"name":"a","name":"b","cluster_name":7,"status":null,"other":"x"}""");

        var update = UpdateAgent.AgentUpdate.From(document.RootElement);

        update.ShouldBe(new UpdateAgent.AgentUpdate("b", null, null));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"name\"")]
    [InlineData("null")]
    [InlineData("3")]
    public void Given_non_object_then_nothing_is_taken(string json)
    {
        using var document = JsonDocument.Parse(json);

        UpdateAgent.AgentUpdate.From(document.RootElement).ShouldBe(new UpdateAgent.AgentUpdate(null, null, null));
    }
}

public sealed class PathSegmentTests
{
    [Theory]
    [InlineData("/api/v1/agents/1/labels/a%2Fb", "a%2Fb", "a/b")]
    [InlineData("/api/v1/agents/1/labels/a%252Fb", "a%2Fb", "a%2Fb")]
    [InlineData("/api/v1/agents/1/labels/a%20b?x=%2F", "a b", "a b")]
    [InlineData("/api/v1/agents/1/labels/plain", "plain", "plain")]
    public void Given_raw_target_then_the_last_segment_is_decoded_once(string rawTarget, string routeValue, string expected)
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;

        PathSegment.LastDecoded(context, routeValue).ShouldBe(expected);
    }

    [Fact]
    public void Given_no_raw_target_then_the_route_value_has_its_encoded_slashes_decoded()
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = string.Empty;

        PathSegment.LastDecoded(context, "a%2fb%2Fc").ShouldBe("a/b/c");
    }
}

public sealed class HeartbeatMergeTests
{
    [Fact]
    public void Given_several_beats_of_one_agent_in_a_batch_then_the_last_report_wins_and_a_plain_beat_keeps_it()
    {
        var a = Guid.CreateVersion7();
        var b = Guid.CreateVersion7();
        var c = Guid.CreateVersion7();

        var merged = Brokkr.Agents.Ingest.HeartbeatWriter.Merge(
        [
            new(a, new(true, 1)),
            new(b, null),
            new(a, new(false, null)),
            new(a, null),
            new(c, new(null, 7)),
            new(b, new(true, 9)),
        ]);

        merged.ShouldBe(new List<(Guid, bool?, int?)> { (a, false, null), (b, true, 9), (c, null, null) }.OrderBy(m => m.Item1).ToList());
    }
}
