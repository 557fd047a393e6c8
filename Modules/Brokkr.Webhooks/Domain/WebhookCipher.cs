using System.Security.Cryptography;
using System.Text;

namespace Brokkr.Webhooks.Domain;

/// <summary>
/// AES-256-GCM in the reference's stored format: <c>0x01 ‖ nonce(12) ‖ ciphertext ‖ tag(16)</c>, so rows
/// written by either broker decrypt in the other when both have the same key.
/// </summary>
internal sealed class WebhookCipher
{
    public const byte Version = 0x01;
    public const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[] _key;

    public WebhookCipher(byte[] key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"A webhook encryption key is {KeySize} bytes.", nameof(key));
        }

        _key = key;
        Fingerprint = FingerprintOf(key);
    }

    /// <summary>The first 8 bytes of sha256(key) as hex: safe to log, enough to tell keys apart.</summary>
    public string Fingerprint { get; }

    public static string FingerprintOf(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 8));

    public byte[] Encrypt(string plaintext)
    {
        var data = Encoding.UTF8.GetBytes(plaintext);
        var stored = new byte[1 + NonceSize + data.Length + TagSize];
        stored[0] = Version;
        var nonce = stored.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, data, stored.AsSpan(1 + NonceSize, data.Length), stored.AsSpan(1 + NonceSize + data.Length, TagSize));
        return stored;
    }

    /// <exception cref="CryptographicException">Another key, a damaged value or an unknown format.</exception>
    public string Decrypt(byte[] stored)
    {
        if (stored.Length < 1 + NonceSize + TagSize)
        {
            throw new CryptographicException("the stored value is too short");
        }

        if (stored[0] != Version)
        {
            throw new CryptographicException($"unsupported format version 0x{stored[0]:x2}");
        }

        var length = stored.Length - 1 - NonceSize - TagSize;
        var data = new byte[length];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(stored.AsSpan(1, NonceSize), stored.AsSpan(1 + NonceSize, length), stored.AsSpan(1 + NonceSize + length, TagSize), data);
        return Encoding.UTF8.GetString(data);
    }

    /// <summary>64 hexadecimal characters, or null with the reason.</summary>
    public static byte[]? ParseKey(string text, out string? problem)
    {
        problem = null;
        var trimmed = text.Trim();
        if (trimmed.Length != KeySize * 2 || !trimmed.All(Uri.IsHexDigit))
        {
            problem = $"must be {KeySize * 2} hexadecimal characters ({KeySize} bytes); the configured value has {trimmed.Length} characters"
                + (trimmed.All(Uri.IsHexDigit) ? string.Empty : " and non-hexadecimal ones");
            return null;
        }

        return Convert.FromHexString(trimmed);
    }
}
