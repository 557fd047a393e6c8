using System.Security.Cryptography;
using System.Text;

namespace Brokkr.Shared.Auth;

/// <summary>A prefixed API key, <c>brokkr_BR&lt;6 base58&gt;_&lt;base58 long token&gt;</c>.</summary>
public sealed record Pak(string Value, string ShortToken, string Hash)
{
    public const string Prefix = "brokkr";
    public const string ShortTokenPrefix = "BR";
    public const int ShortTokenLength = 8;
    public const int LongTokenBytes = 24;

    /// <summary>The hash of the reference's published development PAK; refused unless development mode is on.</summary>
    public const string PublishedDevelopmentHash = "4c697273df3d764cba950bb5c04368097685f09259f5bd880d892cf1ff9f4cdd";

    private const string Base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    public static Pak Generate()
    {
        var shortToken = (ShortTokenPrefix + SimpleBase.Base58.Bitcoin.Encode(RandomNumberGenerator.GetBytes(8)))[..ShortTokenLength];
        var longToken = SimpleBase.Base58.Bitcoin.Encode(RandomNumberGenerator.GetBytes(LongTokenBytes));
        return new Pak($"{Prefix}_{shortToken}_{longToken}", shortToken, HashLongToken(longToken));
    }

    /// <summary>Parses the header value (Bearer, bearer or raw) and checks the key's syntax.</summary>
    public static bool TryParseHeader(string? header, out string longToken, out string shortToken)
    {
        longToken = shortToken = string.Empty;
        if (string.IsNullOrWhiteSpace(header))
        {
            return false;
        }

        var value = header.AsSpan().Trim();
        if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            value = value[7..].Trim();
        }

        var first = value.IndexOf('_');
        if (first < 0)
        {
            return false;
        }

        var rest = value[(first + 1)..];
        var second = rest.IndexOf('_');
        if (second < 0)
        {
            return false;
        }

        var prefix = value[..first];
        var shortPart = rest[..second];
        var longPart = rest[(second + 1)..];
        if (!prefix.SequenceEqual(Prefix)
            || shortPart.Length != ShortTokenLength
            || !shortPart.StartsWith(ShortTokenPrefix, StringComparison.Ordinal)
            || !IsBase58(shortPart[ShortTokenPrefix.Length..])
            || longPart.Length is 0 or > 64
            || !IsBase58(longPart))
        {
            return false;
        }

        shortToken = shortPart.ToString();
        longToken = longPart.ToString();
        return true;
    }

    public static string HashLongToken(string longToken)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(longToken)));

    public static bool IsValidHash(string? hash)
        => hash is { Length: 64 } && hash.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F'));

    private static bool IsBase58(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!Base58Alphabet.Contains(c))
            {
                return false;
            }
        }

        return true;
    }
}
