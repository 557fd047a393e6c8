using System.Text.Json;
using Brokkr.Agents.Api;
using Brokkr.Agents.Domain;
using Brokkr.Agents.Features;
using Brokkr.Agents.Routing;
using Brokkr.Shared.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Brokkr.Agents.Tests;

public sealed class ColumnTextTests
{
    [Theory]
    [InlineData("abc", 3, true)]
    [InlineData("abcd", 3, false)]
    [InlineData("\U0001F600\U0001F600\U0001F600", 3, true)]
    [InlineData("\U0001F600\U0001F600\U0001F600\U0001F600", 3, false)]
    [InlineData("a\u0000", 5, false)]
    [InlineData("", 0, true)]
    public void Given_text_then_it_fits_a_varchar_by_characters_without_nul_or_broken_surrogates(string text, int max, bool fits)
        => ColumnText.Fits(text, max).ShouldBe(fits);

    [Fact]
    public void Given_unpaired_surrogate_then_the_text_is_not_storable()
    {
        ColumnText.Fits("a" + (char)0xD800 + "b", 5).ShouldBeFalse();
        ColumnText.Fits("a" + (char)0xDC00, 5).ShouldBeFalse();
        ColumnText.Fits("\U0001F600", 1).ShouldBeTrue();
    }
}

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

public sealed class PagingTests
{
    [Theory]
    [InlineData(null, null, null, 0)]
    [InlineData(1, 0, 1, 0)]
    [InlineData(1000, 7, 1000, 7)]
    public void Given_valid_paging_then_it_is_kept(int? limit, int? offset, int? expectedLimit, int expectedOffset)
        => Paging.From(limit, offset).ShouldBe(new Paging(expectedLimit, expectedOffset));

    [Theory]
    [InlineData(0, null)]
    [InlineData(1001, null)]
    [InlineData(-1, null)]
    [InlineData(null, -1)]
    public void Given_out_of_range_paging_then_invalid_pagination(int? limit, int? offset)
        => Should.Throw<ApiException>(() => Paging.From(limit, offset)).Code.ShouldBe("invalid_pagination");
}
