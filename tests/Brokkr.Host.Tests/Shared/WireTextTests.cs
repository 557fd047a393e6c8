using System.Text.RegularExpressions;
using Brokkr.Shared.Text;

namespace Brokkr.Host.Tests.Shared;

public sealed class WireTextTests
{
    [Theory]
    [InlineData("plain", true)]
    [InlineData("😀 pair", true)]
    [InlineData("nul\\u0000", false)]
    [InlineData("lone \\ud800 high", false)]
    [InlineData("lone \\udc00 low", false)]
    [InlineData("ends high \\ud83d", false)]
    [InlineData("swapped \\ude00\\ud83d", false)]
    [InlineData("escaped pair \\ud83d\\ude00", true)]
    public void Storable_text_has_no_nul_and_no_unpaired_surrogate(string text, bool storable)
        => WireText.IsStorable(Regex.Unescape(text)).ShouldBe(storable);

    [Fact]
    public void No_text_is_storable() => WireText.IsStorable(null).ShouldBeTrue();

    [Theory]
    [InlineData("", 0)]
    [InlineData("abc", 3)]
    [InlineData("ünï", 3)]
    [InlineData("😀😀", 2)]
    public void Characters_are_code_points_not_utf16_units(string text, int characters)
        => WireText.Characters(text).ShouldBe(characters);

    [Theory]
    [InlineData("abc", 3, true)]
    [InlineData("abcd", 3, false)]
    [InlineData("😀😀😀", 3, true)]
    [InlineData("😀😀😀😀", 3, false)]
    [InlineData("a\\u0000", 5, false)]
    [InlineData("a\\ud800b", 5, false)]
    [InlineData("a\\udc00", 5, false)]
    [InlineData("", 0, true)]
    public void Text_fits_a_varchar_by_characters_when_it_is_storable(string text, int max, bool fits)
        => WireText.Fits(Regex.Unescape(text), max).ShouldBe(fits);
}
