using System.Security.Cryptography;
using Brokkr.Webhooks.Data;
using Brokkr.Webhooks.Domain;

namespace Brokkr.Webhooks.Delivery;

/// <summary>A claimed delivery's subscription secrets in clear, for sending it.</summary>
internal sealed record DecryptedSecrets(string Url, string? AuthHeader, string? SigningSecret);

internal static class SubscriptionSecrets
{
    /// <summary>
    /// Decrypts the URL, auth header and signing secret. On failure returns null with the delivery's
    /// <c>last_error</c> and counts <c>brokkr_webhook_decrypt_failures_total{field, path}</c>.
    /// </summary>
    public static DecryptedSecrets? TryDecrypt(WebhookCipher cipher, ClaimedDeliveryRow row, string path, out string error)
    {
        error = string.Empty;
        if (!TryField(cipher, row.UrlEncrypted, "url", "URL", path, ref error, out var url)
            || !TryField(cipher, row.AuthHeaderEncrypted, "auth_header", "auth header", path, ref error, out var authHeader)
            || !TryField(cipher, row.SigningSecretEncrypted, "signing_secret", "signing secret", path, ref error, out var secret))
        {
            return null;
        }

        return new DecryptedSecrets(url!, authHeader, secret);
    }

    private static bool TryField(WebhookCipher cipher, byte[]? stored, string field, string label, string path, ref string error, out string? value)
    {
        value = null;
        if (stored is null)
        {
            return true;
        }

        try
        {
            value = cipher.Decrypt(stored);
            return true;
        }
        catch (CryptographicException ex)
        {
            WebhookMetrics.DecryptFailed(field, path);
            error = DeliveryRules.Storable($"Failed to decrypt {label}: {ex.Message}");
            return false;
        }
    }
}
