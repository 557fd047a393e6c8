using System.Security.Cryptography;
using System.Text;
using Brokkr.Shared.Auth;

namespace Brokkr.Host.Tests.Shared;

public sealed class PakTests
{
    [Fact]
    public void Generated_paks_have_the_reference_format_and_hash()
    {
        var pak = Pak.Generate();

        pak.Value.ShouldMatch("^brokkr_BR[1-9A-HJ-NP-Za-km-z]{6}_[1-9A-HJ-NP-Za-km-z]{30,34}$");
        var longToken = pak.Value.Split('_')[2];
        pak.Hash.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(longToken))));
        Pak.TryParseHeader("Bearer " + pak.Value, out var parsed, out var shortToken).ShouldBeTrue();
        parsed.ShouldBe(longToken);
        shortToken.ShouldBe(pak.ShortToken);
    }

    [Fact]
    public void The_reference_worked_example_hashes_as_documented()
    {
        Pak.TryParseHeader("brokkr_BR3rVsDa_GK3QN7CDUzYc6iKgMkJ98M2WSimM5t6U8", out var longToken, out _).ShouldBeTrue();

        Pak.HashLongToken(longToken).ShouldBe(Pak.PublishedDevelopmentHash);
    }

    [Theory]
    [InlineData("")]
    [InlineData("brokkr_BR3rVsDa")]
    [InlineData("other_BR3rVsDa_GK3QN7CDUzYc6iKgMkJ98M2WSimM5t6U8")]
    [InlineData("brokkr_XX3rVsDa_GK3QN7CDUzYc6iKgMkJ98M2WSimM5t6U8")]
    [InlineData("brokkr_BR3rVsD_GK3QN7CDUzYc6iKgMkJ98M2WSimM5t6U8")]
    [InlineData("brokkr_BR3rVsD0_GK3QN7CDUzYc6iKgMkJ98M2WSimM5t6U8")]
    [InlineData("brokkr_BR3rVsDa_GK3QN7CDUzYc6iKgMkJ98M2WSimM5t6U8_extra")]
    [InlineData("brokkr_BR3rVsDa_")]
    [InlineData("Basic brokkr_BR3rVsDa_GK3QN7CDUzYc6iKgMkJ98M2WSimM5t6U8")]
    public void Malformed_paks_are_refused(string header)
        => Pak.TryParseHeader(header, out _, out _).ShouldBeFalse();
}
