using Brokkr.FakeKube.Selectors;

namespace Brokkr.FakeKube.Tests.Unit;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Web = new() { ["app"] = "web", ["tier"] = "front", ["replicas"] = "3" };

    [Theory]
    [InlineData("", true)]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app=api", false)]
    [InlineData("app!=api", true)]
    [InlineData("app!=web", false)]
    [InlineData("missing!=x", true)]
    [InlineData("app in (api, web)", true)]
    [InlineData("app in (api,db)", false)]
    [InlineData("app notin (api,db)", true)]
    [InlineData("app notin (web)", false)]
    [InlineData("missing notin (web)", true)]
    [InlineData("tier", true)]
    [InlineData("missing", false)]
    [InlineData("!missing", true)]
    [InlineData("!tier", false)]
    [InlineData("replicas>2", true)]
    [InlineData("replicas<3", false)]
    [InlineData("app=web,tier in (front,back),!missing", true)]
    [InlineData("app=web, tier=back", false)]
    [InlineData("app.kubernetes.io/name", false)]
    public void Given_selector_then_labels_match_as_kubernetes_defines(string selector, bool expected) =>
        LabelSelector.Parse(selector).Matches(Web).ShouldBe(expected);

    [Fact]
    public void Given_set_term_then_values_are_split_inside_parentheses_only()
    {
        var selector = LabelSelector.Parse("env in (prod,staging),app=web");

        selector.Requirements.Count.ShouldBe(2);
        selector.Requirements[0].ShouldBe(new LabelRequirement("env", LabelOperator.In, ["prod", "staging"]), new RequirementComparer());
        selector.Requirements[1].Operator.ShouldBe(LabelOperator.Equals);
    }

    [Theory]
    [InlineData("app=web,")]
    [InlineData("=web")]
    [InlineData("app=we b")]
    [InlineData("-bad-=x")]
    [InlineData("replicas>two")]
    public void Given_malformed_selector_then_it_is_rejected(string selector) =>
        Should.Throw<SelectorException>(() => LabelSelector.Parse(selector)).Message.ShouldStartWith("unable to parse requirement");

    [Fact]
    public void Given_prefixed_key_then_it_parses()
    {
        var labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "brokkr" };

        LabelSelector.Parse("app.kubernetes.io/name=brokkr").Matches(labels).ShouldBeTrue();
    }

    private sealed class RequirementComparer : IEqualityComparer<LabelRequirement>
    {
        public bool Equals(LabelRequirement? x, LabelRequirement? y) =>
            x!.Key == y!.Key && x.Operator == y.Operator && x.Values.SequenceEqual(y.Values);

        public int GetHashCode(LabelRequirement obj) => obj.Key.GetHashCode(StringComparison.Ordinal);
    }
}
