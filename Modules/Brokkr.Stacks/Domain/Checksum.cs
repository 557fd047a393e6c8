using System.Security.Cryptography;
using System.Text;

namespace Brokkr.Stacks.Domain;

internal static class Checksum
{
    /// <summary>What the reference's trigger stamps on a stack's deletion marker: md5 of the empty string.</summary>
    public const string DeletionMarker = "d41d8cd98f00b204e9800998ecf8427e";

    public static string Of(string yaml) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(yaml)));
}
