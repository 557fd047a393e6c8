using System.Text.Json;
using Brokkr.Shared.Errors;
using Brokkr.Telemetry.Domain;

namespace Brokkr.Telemetry.Tests;

public sealed class UnitTests
{
    private static readonly DateTime Now = new(2025, 1, 2, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Since_is_clamped_to_the_six_hour_window()
    {
        Retention.ClampSince(null, Now).ShouldBe(Now.AddHours(-6));
        Retention.ClampSince(Now.AddHours(-7), Now).ShouldBe(Now.AddHours(-6));
        Retention.ClampSince(Now.AddHours(-6), Now).ShouldBe(Now.AddHours(-6));
        Retention.ClampSince(Now.AddHours(-1), Now).ShouldBe(Now.AddHours(-1));
        Retention.ClampSince(Now.AddHours(1), Now).ShouldBe(Now.AddHours(1));
    }

    [Theory]
    [InlineData(null, 500)]
    [InlineData(7L, 7)]
    [InlineData(0L, 1)]
    [InlineData(-9L, 1)]
    [InlineData(5000L, 5000)]
    [InlineData(5001L, 5000)]
    [InlineData(long.MaxValue, 5000)]
    [InlineData(long.MinValue, 1)]
    public void Limit_defaults_to_500_and_is_clamped_to_1_through_5000(long? limit, int expected)
        => Retention.ClampLimit(limit).ShouldBe(expected);

    [Theory]
    [InlineData("2025-01-02T03:04:05Z", "2025-01-02T03:04:05Z")]
    [InlineData("2025-01-02T04:04:05.5+01:00", "2025-01-02T03:04:05.500Z")]
    public void Since_reads_rfc3339_with_an_offset(string text, string expected)
        => Brokkr.Shared.Json.UtcTimestampConverter.Format(Retention.ParseSince(text)!.Value).ShouldBe(expected);

    [Theory]
    [InlineData("2025-01-02T03:04:05")]
    [InlineData("2025-01-02")]
    [InlineData("")]
    [InlineData("now")]
    public void Since_without_an_offset_or_not_a_timestamp_is_an_invalid_query_parameter(string text)
        => Should.Throw<ApiException>(() => Retention.ParseSince(text)).Code.ShouldBe("invalid_query_parameter");

    [Theory]
    [InlineData("1e3")]
    [InlineData("")]
    [InlineData("99999999999999999999")]
    public void Limit_that_is_not_a_64_bit_integer_is_an_invalid_query_parameter(string text)
        => Should.Throw<ApiException>(() => Retention.ParseLimit(text)).Code.ShouldBe("invalid_query_parameter");

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a\0b", "a\uFFFDb")]
    public void Unstorable_characters_become_replacement_characters(string text, string expected)
        => StorableText.Of(text).ShouldBe(expected);

    [Fact]
    public void Unpaired_surrogates_become_replacement_characters_and_pairs_stay()
    {
        // Built in code: test-case serialization would already have replaced a lone surrogate.
        StorableText.Of("lone " + (char)0xD800 + " high").ShouldBe("lone \uFFFD high");
        StorableText.Of("lone " + (char)0xDC00 + " low").ShouldBe("lone \uFFFD low");
        StorableText.Of("end " + (char)0xD800).ShouldBe("end \uFFFD");
        StorableText.Of("pair \ud83d\ude00 kept").ShouldBe("pair \ud83d\ude00 kept");
    }

    [Fact]
    public void Json_values_keep_their_shape_with_storable_strings()
    {
        using var document = JsonDocument.Parse("""{"a\u0000":["x\u0000y",1,true,null,{"b":2.5}]}""");

        StorableText.Json(document.RootElement).ShouldBe("""{"a�":["x�y",1,true,null,{"b":2.5}]}""");
        StorableText.Json(default).ShouldBe("null");
    }
}
