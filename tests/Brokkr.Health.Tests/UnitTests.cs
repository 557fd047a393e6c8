using Brokkr.Contracts.Health;
using Brokkr.Health.Domain;

namespace Brokkr.Health.Tests;

public sealed class UnitTests
{
    [Theory]
    [InlineData("unknown")]
    [InlineData("healthy", "healthy")]
    [InlineData("healthy", "unknown", "healthy")]
    [InlineData("degraded", "healthy", "degraded", "unknown")]
    [InlineData("failing", "degraded", "failing", "healthy")]
    [InlineData("unknown", "unknown", "bogus")]
    public void Worst_status_orders_failing_degraded_healthy_unknown(string expected, params string[] statuses)
        => HealthStatuses.Worst(statuses).ShouldBe(expected);

    [Theory]
    [InlineData(0, 0, 0, "unknown")]
    [InlineData(3, 0, 0, "healthy")]
    [InlineData(3, 1, 0, "degraded")]
    [InlineData(3, 1, 1, "failing")]
    [InlineData(0, 0, 1, "failing")]
    public void A_revisions_status_follows_from_its_counts(long healthy, long degraded, long failing, string expected)
        => HealthStatuses.Worst(healthy, degraded, failing).ShouldBe(expected);

    [Theory]
    [InlineData("healthy", true)]
    [InlineData("degraded", true)]
    [InlineData("failing", true)]
    [InlineData("unknown", true)]
    [InlineData("Healthy", false)]
    [InlineData("", false)]
    public void Only_the_four_lower_case_statuses_are_valid(string status, bool valid)
        => HealthStatuses.IsValid(status).ShouldBe(valid);

    [Fact]
    public void Summaries_serialize_compactly_without_unset_optionals()
    {
        HealthRecords.SummaryText(null).ShouldBeNull();
        HealthRecords.SummaryText(new HealthSummary(1, 2, ["x"])).ShouldBe("""{"pods_ready":1,"pods_total":2,"conditions":["x"]}""");
        HealthRecords.SummaryText(new HealthSummary(0, 1, [], [new ResourceHealth("Pod", "p", "n", false), new ResourceHealth("Pod", "q", "n", true, "m")]))
            .ShouldBe("""{"pods_ready":0,"pods_total":1,"conditions":[],"resources":[{"kind":"Pod","name":"p","namespace":"n","ready":false},{"kind":"Pod","name":"q","namespace":"n","ready":true,"message":"m"}]}""");
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(0.0, 0L)]
    [InlineData(41.999, 41L)]
    [InlineData(42.7, 42L)]
    [InlineData(-5.0, 0L)]
    public void Ages_are_whole_seconds_floored_at_zero(double? secondsAgo, long? expected)
    {
        var now = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        DateTime? then = secondsAgo is { } s ? now.AddSeconds(-s) : null;

        FleetReader.AgeSeconds(then, now).ShouldBe(expected);
    }
}
