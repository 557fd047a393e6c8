using System.Security.Cryptography;
using Brokkr.Webhooks.Data;
using Brokkr.Webhooks.Domain;

namespace Brokkr.Webhooks.Tests;

/// <summary>The module's pure rules.</summary>
public sealed class UnitTests
{
    [Theory]
    [InlineData("*", "agent.registered", true)]
    [InlineData("agent.*", "agent.registered", true)]
    [InlineData("agent.*", "agents.registered", false)]
    [InlineData("agent.*", "agent", false)]
    [InlineData("agent.registered", "agent.registered", true)]
    [InlineData("agent.registered", "agent.deregistered", false)]
    [InlineData("agent*", "agent.registered", false)]
    [InlineData("workorder.*", "workorder.completed", true)]
    public void Patterns_match_as_the_reference_does(string pattern, string eventType, bool matches)
    {
        EventPattern.Matches(pattern, eventType).ShouldBe(matches);
        new PatternSet([pattern, "unrelated.type"]).MayMatch(eventType).ShouldBe(matches);
    }

    [Theory]
    [InlineData(true, null, 0, 5, "success", 1)]
    [InlineData(false, 404, 0, 5, "dead", 1)]
    [InlineData(false, 400, 3, 5, "dead", 4)]
    [InlineData(false, 408, 0, 5, "failed", 1)]
    [InlineData(false, 425, 0, 5, "failed", 1)]
    [InlineData(false, 429, 0, 5, "failed", 1)]
    [InlineData(false, 500, 0, 5, "failed", 1)]
    [InlineData(false, 302, 0, 5, "failed", 1)]
    [InlineData(false, null, 0, 5, "failed", 1)]
    [InlineData(false, 500, 4, 5, "dead", 5)]
    [InlineData(false, null, 0, 0, "dead", 1)]
    [InlineData(false, null, 0, 1, "dead", 1)]
    public void Outcomes_follow_behaviour_7(bool success, int? status, int attempts, int maxRetries, string next, int attemptsAfter)
    {
        var now = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);

        var transition = DeliveryRules.After(success, status, attempts, maxRetries, now);

        transition.Status.ShouldBe(next);
        transition.Attempts.ShouldBe(attemptsAfter);
        transition.NextRetryAt.ShouldBe(next == DeliveryStatus.Failed ? now.AddSeconds(Math.Pow(2, attemptsAfter)) : null);
    }

    [Fact]
    public void Payload_is_compact_with_data_keys_in_alphabetical_order()
    {
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var payload = WebhookPayload.Build(id, "stack.created", new DateTime(2025, 1, 2, 3, 4, 5, 120, DateTimeKind.Utc), new Dictionary<string, object?>
        {
            ["stack_id"] = Guid.Parse("11111111-2222-3333-4444-555555555555"),
            ["name"] = "web",
            ["description"] = null,
            ["created_at"] = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc),
        });

        payload.ShouldBe("""{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","event_type":"stack.created","timestamp":"2025-01-02T03:04:05.120Z","data":{"created_at":"2025-01-02T03:04:05Z","description":null,"name":"web","stack_id":"11111111-2222-3333-4444-555555555555"}}""");
    }

    [Fact]
    public void Filter_values_are_the_fields_as_strings_and_null_counts_as_absent()
    {
        var id = Guid.NewGuid();
        var data = new Dictionary<string, object?> { ["agent_id"] = id, ["stack_id"] = null, ["n"] = 5 };

        WebhookPayload.FilterValue(data, "agent_id").ShouldBe(id.ToString());
        WebhookPayload.FilterValue(data, "stack_id").ShouldBeNull();
        WebhookPayload.FilterValue(data, "missing").ShouldBeNull();
        WebhookPayload.FilterValue(data, "n").ShouldBe("5");
    }

    [Fact]
    public void The_cipher_round_trips_and_refuses_a_tampered_value_or_another_key()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var cipher = new WebhookCipher(key);
        var stored = cipher.Encrypt("https://example.test/ü");

        stored[0].ShouldBe((byte)1);
        cipher.Decrypt(stored).ShouldBe("https://example.test/ü");
        new WebhookCipher(key).Decrypt(stored).ShouldBe("https://example.test/ü");
        var tampered = (byte[])stored.Clone();
        tampered[^1] ^= 1;
        Should.Throw<CryptographicException>(() => cipher.Decrypt(tampered));
        Should.Throw<CryptographicException>(() => new WebhookCipher(RandomNumberGenerator.GetBytes(32)).Decrypt(stored));
        var unversioned = (byte[])stored.Clone();
        unversioned[0] = 2;
        Should.Throw<CryptographicException>(() => cipher.Decrypt(unversioned));
    }

    [Fact]
    public void The_key_fingerprint_is_the_first_8_bytes_of_its_sha256()
    {
        var key = Convert.FromHexString(new string('a', 64));

        new WebhookCipher(key).Fingerprint.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(key))[..16]);
        WebhookCipher.ParseKey(new string('A', 64), out _).ShouldBe(key);
        WebhookCipher.ParseKey("xyz", out var problem).ShouldBeNull();
        problem.ShouldNotBeNull();
    }

    [Fact]
    public void The_signature_is_hmac_sha256_of_timestamp_dot_body_in_lowercase_hex()
        // Known answer: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac secret
        => WebhookSignature.Sign("secret", 1700000000, """{"a":1}""").ShouldBe("sha256=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686");

    [Theory]
    [InlineData(503, "upstream down", "HTTP 503: upstream down")]
    [InlineData(503, "HTTP 503 Service Unavailable", "HTTP 503 Service Unavailable")]
    [InlineData(503, null, "HTTP 503")]
    [InlineData(null, "refused", "refused")]
    [InlineData(null, "", "Unknown error")]
    [InlineData(null, null, "Unknown error")]
    public void Agent_reports_become_the_reference_last_error(int? status, string? error, string expected)
        => DeliveryRules.AgentError(status, error).ShouldBe(expected);

    [Fact]
    public void Stored_errors_lose_what_postgresql_cannot_hold()
        => DeliveryRules.Storable("a\0b\ud800c").ShouldBe("a\uFFFDb\uFFFDc");
}
