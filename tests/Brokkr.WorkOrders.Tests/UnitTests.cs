using Brokkr.Contracts.WorkOrders;
using Brokkr.WorkOrders.Domain;

namespace Brokkr.WorkOrders.Tests;

public sealed class UnitTests
{
    private static readonly DateTime Now = new(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    [Theory]
    [InlineData(60, 1, 120)]
    [InlineData(60, 2, 240)]
    [InlineData(60, 3, 480)]
    [InlineData(1, 1, 2)]
    [InlineData(1, 2, 4)]
    [InlineData(1, 3, 8)]
    public void Next_retry_is_backoff_times_two_to_the_new_retry_count(int backoff, int retryCount, int seconds)
        => WorkOrderRules.NextRetryAfter(Now, backoff, retryCount).ShouldBe(Now.AddSeconds(seconds));

    [Theory]
    [InlineData(int.MaxValue, 1)]
    [InlineData(60, 1000)]
    [InlineData(int.MaxValue, int.MaxValue)]
    public void Next_retry_never_leaves_the_range_of_a_timestamp(int backoff, int retryCount)
        => WorkOrderRules.NextRetryAfter(Now, backoff, retryCount).ShouldBe(Now + WorkOrderRules.MaxRetryDelay);

    [Theory]
    [InlineData(0, 3, true, false)]
    [InlineData(2, 3, true, false)]
    [InlineData(3, 3, true, true)]
    [InlineData(0, 0, true, true)]
    [InlineData(0, 3, false, true)]
    [InlineData(int.MaxValue, int.MaxValue, true, true)]
    public void A_failure_is_final_when_not_retryable_or_out_of_retries(int retryCount, int maxRetries, bool retryable, bool final)
        => WorkOrderRules.IsFinalFailure(retryCount, maxRetries, retryable).ShouldBe(final);

    [Theory]
    [InlineData("gpu", true)]
    [InlineData("env=prod:eu/1", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("a b", false)]
    [InlineData("a\u00a0b", false)]
    [InlineData("a\nb", false)]
    [InlineData("a\0b", false)]
    public void Targeting_tags_are_1_to_64_characters_without_whitespace(string? tag, bool valid)
        => WorkOrderRules.IsValidTag(tag).ShouldBe(valid);

    [Fact]
    public void Targeting_tags_are_counted_in_characters_and_must_be_storable()
    {
        WorkOrderRules.IsValidTag(new string('é', 64)).ShouldBeTrue();
        WorkOrderRules.IsValidTag(string.Concat(Enumerable.Repeat("😀", 64))).ShouldBeTrue();
        WorkOrderRules.IsValidTag(new string('x', 65)).ShouldBeFalse();
        WorkOrderRules.IsValidTag("a" + (char)0xD800).ShouldBeFalse();
    }

    [Fact]
    public void Legacy_and_new_agent_ids_are_merged_once_each()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var targets = WorkOrderTargets.From(new CreateWorkOrderRequest("build", "x", Targeting: new WorkOrderTargeting(AgentIds: [a, a]), TargetAgentIds: [b, a]));

        targets.AgentIds.ShouldBe([a, b]);
        targets.IsEmpty.ShouldBeFalse();
    }

    [Fact]
    public void Without_any_target_the_first_problem_is_no_targeting()
    {
        var body = new CreateWorkOrderRequest("", "", MaxRetries: -1, Targeting: new WorkOrderTargeting([], [], new Dictionary<string, string>()));

        WorkOrderRules.Problem(body, WorkOrderTargets.From(body))!.Value.Code.ShouldBe("no_targeting_specified");
    }

    [Fact]
    public void A_valid_order_has_no_problem()
    {
        var body = new CreateWorkOrderRequest("build", "kind: Job", 0, 1, 1, new WorkOrderTargeting(Labels: ["gpu"]));

        WorkOrderRules.Problem(body, WorkOrderTargets.From(body)).ShouldBeNull();
    }
}
