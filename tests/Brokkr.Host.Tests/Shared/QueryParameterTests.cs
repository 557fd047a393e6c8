using Brokkr.Shared.Errors;
using Brokkr.Shared.Http;
using Microsoft.AspNetCore.Http;

namespace Brokkr.Host.Tests.Shared;

public sealed class QueryParameterTests
{
    [Fact]
    public void Absent_paging_means_every_row()
        => QueryParameters.Paging(null, null).ShouldBe(Paging.All);

    [Theory]
    [InlineData("1", "0", 1, 0)]
    [InlineData("1000", "5", 1000, 5)]
    [InlineData(null, "7", null, 7)]
    public void Paging_in_range_parses(string? limit, string? offset, int? expectedLimit, int expectedOffset)
        => QueryParameters.Paging(limit, offset).ShouldBe(new Paging(expectedLimit, expectedOffset));

    [Fact]
    public void An_offset_beyond_int_range_is_clamped_to_an_empty_page()
        => QueryParameters.Paging(null, "99999999999").Offset.ShouldBe(int.MaxValue);

    [Theory]
    [InlineData("0", null, "limit")]
    [InlineData("1001", null, "limit")]
    [InlineData("99999999999", null, "limit")]
    [InlineData(" 5", null, "limit")]
    [InlineData("-1", null, "limit")]
    [InlineData("abc", null, "limit")]
    [InlineData("", null, "limit")]
    [InlineData(null, "-1", "offset")]
    [InlineData(null, "1.5", "offset")]
    [InlineData(null, "x", "offset")]
    [InlineData("0", "-1", "limit")]
    public void Paging_out_of_range_or_unparseable_is_400_naming_the_parameter(string? limit, string? offset, string parameter)
    {
        var error = Should.Throw<ApiException>(() => QueryParameters.Paging(limit, offset));

        error.Status.ShouldBe(400);
        error.Code.ShouldBe("invalid_query_parameter");
        Parameter(error).ShouldBe(parameter);
    }

    [Theory]
    [InlineData("", null, null, 0)]
    [InlineData("?limit=2&offset=3", null, 2, 3)]
    [InlineData("?offset=4&other=x", null, null, 4)]
    [InlineData("?limit=1&limit=2", "limit", null, 0)]
    [InlineData("?limit=", "limit", null, 0)]
    [InlineData("?offset=-1", "offset", null, 0)]
    public async Task Paging_binds_itself_from_the_query_string(string queryString, string? invalid, int? limit, int offset)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(queryString);

        if (invalid is not null)
        {
            var error = await Should.ThrowAsync<ApiException>(async () => await Paging.BindAsync(context, null!));
            Parameter(error).ShouldBe(invalid);
        }
        else
        {
            (await Paging.BindAsync(context, null!)).ShouldBe(new Paging(limit, offset));
        }
    }

    [Fact]
    public void Paging_skips_the_offset_then_takes_the_limit()
    {
        var rows = Enumerable.Range(1, 10).AsQueryable();

        Paging.All.Apply(rows).ShouldBe(Enumerable.Range(1, 10));
        new Paging(3, 2).Apply(rows).ShouldBe([3, 4, 5]);
        new Paging(null, 8).Apply(rows).ShouldBe([9, 10]);
        new Paging(1000, 9).Apply(rows).ShouldBe([10]);
        new Paging(5, int.MaxValue).Apply(rows).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("0192a5b0-0000-7000-8000-000000000001")]
    [InlineData("0192A5B0000070008000000000000001")]
    [InlineData("urn:uuid:0192a5b0-0000-7000-8000-000000000001")]
    [InlineData("{0192a5b0-0000-7000-8000-000000000001}")]
    public void Uuid_forms_are_accepted(string value)
        => QueryParameters.OptionalUuid("pak_id", value).ShouldBe(Guid.Parse("0192a5b0-0000-7000-8000-000000000001"));

    [Theory]
    [InlineData("nope")]
    [InlineData("")]
    [InlineData("0192A5B000007000800000000000000 1")]
    public void A_value_that_is_not_a_uuid_is_400_naming_the_parameter(string value)
    {
        var error = Should.Throw<ApiException>(() => QueryParameters.OptionalUuid("pak_id", value));

        error.Code.ShouldBe("invalid_query_parameter");
        Parameter(error).ShouldBe("pak_id");
    }

    [Fact]
    public void Absent_optional_values_are_null()
    {
        QueryParameters.OptionalUuid("pak_id", null).ShouldBeNull();
        QueryParameters.NonNegative("since_sequence", null).ShouldBeNull();
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("False", false)]
    public void Booleans_parse(string value, bool expected)
        => QueryParameters.OptionalBool("deletion_marker", value).ShouldBe(expected);

    [Theory]
    [InlineData("maybe")]
    [InlineData("1")]
    [InlineData("")]
    public void Anything_else_is_not_a_boolean(string value)
        => Parameter(Should.Throw<ApiException>(() => QueryParameters.OptionalBool("deletion_marker", value))).ShouldBe("deletion_marker");

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Non_negative_integers_parse(string value, long expected)
        => QueryParameters.NonNegative("since_sequence", value).ShouldBe(expected);

    [Theory]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1e3")]
    [InlineData("9223372036854775808")]
    public void Anything_else_is_not_a_non_negative_integer(string value)
        => Parameter(Should.Throw<ApiException>(() => QueryParameters.NonNegative("since_sequence", value))).ShouldBe("since_sequence");

    private static object? Parameter(ApiException error) => error.Details.ShouldBeAssignableTo<IReadOnlyDictionary<string, object?>>()!["parameter"];
}
