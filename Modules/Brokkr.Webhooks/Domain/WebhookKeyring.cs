using System.Security.Cryptography;
using Brokkr.Shared.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Brokkr.Webhooks.Domain;

/// <summary>
/// The one encryption key of this broker: <c>broker.webhook_encryption_key</c> when configured (checked at
/// startup), else a key generated once and persisted in <c>webhook_encryption_key</c>, so restarts and
/// every replica share it. Loaded on first use; only its fingerprint is ever logged.
/// </summary>
internal sealed class WebhookKeyring(BrokkrSettings settings, NpgsqlDataSource dataSource, ILogger<WebhookKeyring> logger)
{
    private const string ClaimSql = "INSERT INTO webhook_encryption_key (id, key) VALUES (1, $1) ON CONFLICT (id) DO NOTHING";
    private const string ReadSql = "SELECT key FROM webhook_encryption_key WHERE id = 1";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private WebhookCipher? _cipher;

    /// <summary>Fails startup with a clear message when the configured key is malformed; never shows the value.</summary>
    public static void ValidateConfigured(BrokkrSettings settings)
    {
        if (string.IsNullOrWhiteSpace(settings.Broker.WebhookEncryptionKey))
        {
            return;
        }

        if (WebhookCipher.ParseKey(settings.Broker.WebhookEncryptionKey, out var problem) is null)
        {
            throw new InvalidOperationException($"broker.webhook_encryption_key (BROKKR__BROKER__WEBHOOK_ENCRYPTION_KEY) {problem}. Generate one with: openssl rand -hex 32");
        }
    }

    public async ValueTask<WebhookCipher> CipherAsync(CancellationToken cancellationToken)
    {
        if (_cipher is { } cipher)
        {
            return cipher;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _cipher ??= await LoadAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<WebhookCipher> LoadAsync(CancellationToken cancellationToken)
    {
        var configured = settings.Broker.WebhookEncryptionKey;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var key = WebhookCipher.ParseKey(configured, out var problem)
                ?? throw new InvalidOperationException($"broker.webhook_encryption_key {problem}");
            var cipher = new WebhookCipher(key);
            var persisted = await ReadPersistedAsync(cancellationToken);
            if (persisted is not null && !persisted.AsSpan().SequenceEqual(key))
            {
                logger.LogWarning(
                    "Webhook encryption key {Fingerprint} is configured, but subscriptions stored while none was configured use the generated key {Generated}; those cannot be decrypted and their deliveries go dead",
                    cipher.Fingerprint, WebhookCipher.FingerprintOf(persisted));
            }

            logger.LogInformation("Webhook encryption key from configuration, fingerprint {Fingerprint}", cipher.Fingerprint);
            return cipher;
        }

        var generated = RandomNumberGenerator.GetBytes(WebhookCipher.KeySize);
        await using (var claim = dataSource.CreateCommand(ClaimSql))
        {
            claim.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = generated });
            await claim.ExecuteNonQueryAsync(cancellationToken);
        }

        var stored = await ReadPersistedAsync(cancellationToken)
            ?? throw new InvalidOperationException("The generated webhook encryption key was not persisted");
        var shared = new WebhookCipher(stored);
        logger.LogInformation(
            "Webhook encryption key generated once and kept in the database (broker.webhook_encryption_key is not set), fingerprint {Fingerprint}",
            shared.Fingerprint);
        return shared;
    }

    private async Task<byte[]?> ReadPersistedAsync(CancellationToken cancellationToken)
    {
        await using var read = dataSource.CreateCommand(ReadSql);
        return await read.ExecuteScalarAsync(cancellationToken) as byte[];
    }
}
