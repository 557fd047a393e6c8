using System.Text;
using Brokkr.Webhooks.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace Brokkr.Webhooks.Tests;

/// <summary>Secrets at rest (behaviour §7): AES-256-GCM in the reference's format, with a key that every broker on the database shares.</summary>
public sealed class EncryptionTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private const string Url = "https://receiver.example.test/path?token=plain-url-secret";

    private async Task<byte[]> ColumnAsync(Guid id, string column)
        => await api.ScalarAsync<byte[]>($"SELECT {column} FROM webhook_subscriptions WHERE id = @id", ("id", id));

    [Fact]
    public async Task Url_auth_header_and_signing_secret_are_stored_encrypted_in_the_versioned_format()
    {
        var id = await api.SubscribeAsync(Url, ["*"], new { auth_header = "Bearer plain-auth-secret", signing_secret = "plain-signing-secret", enabled = true });
        await api.Admin().PutJsonAsync($"/api/v1/webhooks/{id}", """{"enabled":false}""");
        var cipher = await api.Services.GetRequiredService<WebhookKeyring>().CipherAsync(CancellationToken.None);

        foreach (var (column, plaintext) in new[] { ("url_encrypted", Url), ("auth_header_encrypted", "Bearer plain-auth-secret"), ("signing_secret_encrypted", "plain-signing-secret") })
        {
            var stored = await ColumnAsync(id, column);
            stored[0].ShouldBe((byte)0x01);
            stored.Length.ShouldBe(1 + 12 + Encoding.UTF8.GetByteCount(plaintext) + 16);
            Encoding.UTF8.GetString(stored).ShouldNotContain("plain-");
            cipher.Decrypt(stored).ShouldBe(plaintext);
        }

        var dump = await api.ScalarAsync<string>("SELECT row_to_json(s)::text FROM webhook_subscriptions s WHERE id = @id", ("id", id));
        dump.ShouldNotContain("plain-");
    }

    [Fact]
    public async Task The_same_plaintext_encrypts_differently_every_time()
    {
        var first = await api.SubscribeAsync(Url, ["*"], new { enabled = true });
        var second = await api.SubscribeAsync(Url, ["*"]);
        await api.Admin().PutJsonAsync($"/api/v1/webhooks/{first}", """{"enabled":false}""");
        await api.Admin().PutJsonAsync($"/api/v1/webhooks/{second}", """{"enabled":false}""");

        (await ColumnAsync(first, "url_encrypted")).ShouldNotBe(await ColumnAsync(second, "url_encrypted"));
    }

    [Fact]
    public async Task Without_a_configured_key_one_is_generated_once_persisted_and_shared_by_the_next_broker()
    {
        var cipher = await api.Services.GetRequiredService<WebhookKeyring>().CipherAsync(CancellationToken.None);
        (await api.CountAsync("SELECT count(*) FROM webhook_encryption_key")).ShouldBe(1);
        var stored = await api.ScalarAsync<byte[]>("SELECT key FROM webhook_encryption_key");
        WebhookCipher.FingerprintOf(stored).ShouldBe(cipher.Fingerprint);
        cipher.Fingerprint.Length.ShouldBe(16);

        await using var restarted = new SameDatabaseFactory(api.ConnectionString);
        var again = await restarted.Services.GetRequiredService<WebhookKeyring>().CipherAsync(CancellationToken.None);

        again.Fingerprint.ShouldBe(cipher.Fingerprint);
        (await api.CountAsync("SELECT count(*) FROM webhook_encryption_key")).ShouldBe(1);
        var id = await api.SubscribeAsync(Url, ["none.*"]);
        again.Decrypt(await ColumnAsync(id, "url_encrypted")).ShouldBe(Url);
    }

    [Fact]
    public async Task Brokers_starting_together_agree_on_the_generated_key()
    {
        var connectionString = await TestDatabase.CreateAsync(_ => Task.CompletedTask);
        try
        {
            // The template may already hold a key; this database starts without one.
            await using (var connection = new Npgsql.NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync();
                await using var clear = new Npgsql.NpgsqlCommand("DELETE FROM webhook_encryption_key", connection);
                await clear.ExecuteNonQueryAsync();
            }

            await using var a = new SameDatabaseFactory(connectionString);
            await using var b = new SameDatabaseFactory(connectionString);
            var keys = await Task.WhenAll(
                Task.Run(async () => await a.Services.GetRequiredService<WebhookKeyring>().CipherAsync(CancellationToken.None)),
                Task.Run(async () => await b.Services.GetRequiredService<WebhookKeyring>().CipherAsync(CancellationToken.None)));

            keys[0].Fingerprint.ShouldBe(keys[1].Fingerprint);
            await using var check = new Npgsql.NpgsqlConnection(connectionString);
            await check.OpenAsync();
            await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM webhook_encryption_key", check);
            ((long)(await count.ExecuteScalarAsync())!).ShouldBe(1);
        }
        finally
        {
            await TestDatabase.DropAsync(connectionString);
        }
    }

    [Fact]
    public async Task A_configured_key_is_used_as_given()
    {
        var hex = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var configured = new SameDatabaseFactory(api.ConnectionString, new Dictionary<string, string> { ["Broker:webhook_encryption_key"] = hex });

        var cipher = await configured.Services.GetRequiredService<WebhookKeyring>().CipherAsync(CancellationToken.None);

        cipher.Fingerprint.ShouldBe(WebhookCipher.FingerprintOf(Convert.FromHexString(hex)));
        new WebhookCipher(Convert.FromHexString(hex)).Decrypt(cipher.Encrypt("x")).ShouldBe("x");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("00000000000000000000000000000000000000000000000000000000000000000000")]
    public async Task A_malformed_configured_key_fails_startup_without_showing_it(string key)
    {
        await using var broken = new SameDatabaseFactory(api.ConnectionString, new Dictionary<string, string> { ["Broker:webhook_encryption_key"] = key });

        var failure = Should.Throw<InvalidOperationException>(() => broken.Services);

        failure.Message.ShouldContain("webhook_encryption_key");
        failure.Message.ShouldContain("64 hexadecimal characters");
        failure.Message.ShouldNotContain(key);
        await Task.CompletedTask;
    }
}
