using System.Text.Json;
using Brokkr.Shared.Json;

namespace Brokkr.Host.Tests.Shared;

public sealed class WireJsonTests
{
    private sealed record Sample(Guid Id, DateTime At, DateTime? Missing, string Name, int Count);

    [Theory]
    [InlineData(0L, "2025-01-02T03:04:05Z")]
    [InlineData(1_200_000L, "2025-01-02T03:04:05.120Z")]
    [InlineData(1_234_560L, "2025-01-02T03:04:05.123456Z")]
    [InlineData(1_234_567L, "2025-01-02T03:04:05.123456Z")]
    public void Timestamps_are_utc_with_the_shortest_exact_fraction(long extraTicks, string expected)
    {
        var value = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(extraTicks);

        UtcTimestampConverter.Format(value).ShouldBe(expected);
    }

    [Fact]
    public void Nulls_are_written_and_keys_are_snake_case()
    {
        var json = JsonSerializer.Serialize(new Sample(Guid.Parse("0190f3a1-0000-7000-8000-000000000001"), new DateTime(2025, 1, 2, 0, 0, 0, DateTimeKind.Utc), null, "n", 1), BrokkrJson.Options);

        json.ShouldBe("""{"id":"0190f3a1-0000-7000-8000-000000000001","at":"2025-01-02T00:00:00Z","missing":null,"name":"n","count":1}""");
    }

    [Theory]
    [InlineData("2025-01-02T03:04:05+02:00", "2025-01-02T01:04:05Z")]
    [InlineData("2025-01-02T03:04:05.5Z", "2025-01-02T03:04:05.500Z")]
    [InlineData("2025-01-02t03:04:05z", "2025-01-02T03:04:05Z")]
    public void Timestamps_with_an_offset_are_read_as_utc(string input, string expected)
    {
        UtcTimestampConverter.TryParse(input, out var value).ShouldBeTrue();
        UtcTimestampConverter.Format(value).ShouldBe(expected);
    }

    [Theory]
    [InlineData("2025-01-02T03:04:05")]
    [InlineData("2025-01-02")]
    [InlineData("yesterday")]
    public void Timestamps_without_an_offset_are_refused(string input)
        => UtcTimestampConverter.TryParse(input, out _).ShouldBeFalse();

    [Theory]
    [InlineData("0190F3A1-0000-7000-8000-000000000001", true)]
    [InlineData("0190f3a1000070008000000000000001", true)]
    [InlineData("{0190f3a1-0000-7000-8000-000000000001}", true)]
    [InlineData("urn:uuid:0190f3a1-0000-7000-8000-000000000001", true)]
    [InlineData("0190f3a1-0000-7000-8000-00000000000", false)]
    [InlineData("0190f3a1-0000-7000-8000-00000000000g", false)]
    [InlineData("' OR 1=1 --", false)]
    public void Uuid_forms(string text, bool valid)
    {
        Uuid.TryParse(text, out var id).ShouldBe(valid);
        if (valid)
        {
            id.ToString().ShouldBe("0190f3a1-0000-7000-8000-000000000001");
        }
    }

    [Theory]
    [InlineData("""{"id":"0190f3a1-0000-7000-8000-000000000001","at":"2025-01-02T00:00:00Z","missing":null,"name":"n","count":"1"}""")]
    [InlineData("""{"id":"0190f3a1-0000-7000-8000-000000000001","at":"2025-01-02T00:00:00Z","missing":null,"name":null,"count":1}""")]
    [InlineData("""{"id":"0190f3a1-0000-7000-8000-000000000001","at":"2025-01-02T00:00:00Z","missing":null,"count":1}""")]
    [InlineData("""{"ID":"0190f3a1-0000-7000-8000-000000000001","at":"2025-01-02T00:00:00Z","missing":null,"name":"n","count":1}""")]
    public void Wrong_shapes_are_refused(string json)
        => Should.Throw<JsonException>(() => JsonSerializer.Deserialize<Sample>(json, BrokkrJson.Options));
}
