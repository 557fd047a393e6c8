using System.Text.Json.Nodes;
using Brokkr.FakeKube.Selectors;

namespace Brokkr.FakeKube.Tests.Unit;

public sealed class FieldSelectorTests
{
    private static readonly JsonObject Pod = JsonNode.Parse("""
        {"metadata":{"name":"web-1","namespace":"demo"},"status":{"phase":"Running"},"spec":{"priority":5}}
        """)!.AsObject();

    [Theory]
    [InlineData("metadata.name=web-1", true)]
    [InlineData("metadata.name==web-1", true)]
    [InlineData("metadata.name=web-2", false)]
    [InlineData("metadata.namespace=demo,status.phase!=Pending", true)]
    [InlineData("metadata.namespace!=demo", false)]
    [InlineData("spec.priority=5", true)]
    [InlineData("spec.nodeName=", true)]
    public void Given_field_selector_then_fields_compare_as_strings(string selector, bool expected) =>
        FieldSelector.Parse(selector).Matches(Pod).ShouldBe(expected);

    [Fact]
    public void Given_name_selector_then_it_exposes_the_exact_name()
    {
        FieldSelector.Parse("metadata.name=web-1,status.phase=Running").ExactName.ShouldBe("web-1");
        FieldSelector.Parse("metadata.name!=web-1").ExactName.ShouldBeNull();
    }

    [Fact]
    public void Given_term_without_operator_then_it_is_rejected() =>
        Should.Throw<SelectorException>(() => FieldSelector.Parse("metadata.name"));
}
