using Brokkr.Generators.Domain;
using Brokkr.Shared.Errors;

namespace Brokkr.Generators.Tests;

public sealed class GeneratorRulesTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("tenant with spaces")]
    public void Given_a_normal_name_then_it_is_valid(string name) => GeneratorRules.Validate(name, null);

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\u00a0\t")]
    public void Given_a_blank_name_then_invalid_generator(string name)
        => Should.Throw<ApiException>(() => GeneratorRules.Validate(name, null)).Code.ShouldBe("invalid_generator");

    [Fact]
    public void Given_255_code_points_then_valid_and_256_then_invalid()
    {
        GeneratorRules.Validate(new string('x', 255), null);
        GeneratorRules.Validate(string.Concat(Enumerable.Repeat("😀", 255)), null);

        Should.Throw<ApiException>(() => GeneratorRules.Validate(new string('x', 256), null)).Status.ShouldBe(400);
        Should.Throw<ApiException>(() => GeneratorRules.Validate(string.Concat(Enumerable.Repeat("😀", 256)), null)).Status.ShouldBe(400);
    }

    [Fact]
    public void Given_a_description_over_the_limit_then_invalid_generator()
    {
        GeneratorRules.Validate("n", new string('d', GeneratorRules.MaxDescriptionLength));

        Should.Throw<ApiException>(() => GeneratorRules.Validate("n", new string('d', GeneratorRules.MaxDescriptionLength + 1))).Code.ShouldBe("invalid_generator");
    }
}
