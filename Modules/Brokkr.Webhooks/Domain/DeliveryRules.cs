using Brokkr.Shared.Text;
using Brokkr.Webhooks.Data;
using Microsoft.AspNetCore.WebUtilities;

namespace Brokkr.Webhooks.Domain;

/// <summary>What an attempt's outcome does to a delivery (behaviour §7, details §4.5), on both paths.</summary>
internal static class DeliveryRules
{
    public const int MaxErrorLength = 2000;

    /// <summary>A 4xx other than 408, 425 and 429 will not get better by trying again.</summary>
    public static bool IsRetryableStatus(int statusCode) => statusCode is < 400 or >= 500 or 408 or 425 or 429;

    /// <summary>
    /// The next state after one attempt. Success and a non-retryable status end the delivery; otherwise
    /// <c>max_retries</c> is the whole attempt budget and the wait doubles (2, 4, 8 ... s).
    /// </summary>
    public static Transition After(bool success, int? statusCode, int attemptsBefore, int maxRetries, DateTime now)
    {
        var attempts = attemptsBefore + 1;
        if (success)
        {
            return new Transition(DeliveryStatus.Success, attempts, null);
        }

        if (statusCode is { } code && !IsRetryableStatus(code))
        {
            return new Transition(DeliveryStatus.Dead, attempts, null);
        }

        return attempts >= maxRetries
            ? new Transition(DeliveryStatus.Dead, attempts, null)
            : new Transition(DeliveryStatus.Failed, attempts, now.AddSeconds(Math.Pow(2, Math.Min(attempts, 20))));
    }

    /// <summary><c>404 Not Found</c>, as the reference prints a status.</summary>
    public static string StatusText(int statusCode)
    {
        var reason = statusCode == 425 ? "Too Early" : ReasonPhrases.GetReasonPhrase(statusCode);
        return $"{statusCode} {(string.IsNullOrEmpty(reason) ? "<unknown status code>" : reason)}";
    }

    /// <summary>The broker's <c>last_error</c> for an answer that was not a 2xx.</summary>
    public static string HttpError(int statusCode, string body) => Storable($"HTTP {StatusText(statusCode)}: {Truncate(body, 200)}");

    public static string TransportError(string error) => Storable($"Request failed: {error}");

    /// <summary>The <c>last_error</c> an agent's report leaves (details §4.5).</summary>
    public static string AgentError(int? statusCode, string? error)
    {
        var text = (statusCode, string.IsNullOrEmpty(error) ? null : error) switch
        {
            ({ } code, { } message) when message.StartsWith($"HTTP {code}", StringComparison.Ordinal) => message,
            ({ } code, { } message) => $"HTTP {code}: {message}",
            ({ } code, null) => $"HTTP {code}",
            (null, { } message) => message,
            _ => "Unknown error",
        };
        return Storable(text);
    }

    public static string Truncate(string text, int maxCharacters)
    {
        if (text.Length <= maxCharacters)
        {
            return text;
        }

        var cut = maxCharacters;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return text[..cut];
    }

    /// <summary>Bounded, and without what PostgreSQL text cannot hold (NUL, lone surrogates).</summary>
    public static string Storable(string text)
    {
        text = Truncate(text, MaxErrorLength);
        if (WireText.IsStorable(text))
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] == '\0')
            {
                chars[i] = '\uFFFD';
            }
            else if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }
}

internal sealed record Transition(string Status, int Attempts, DateTime? NextRetryAt)
{
    public bool IsFinal => Status is DeliveryStatus.Success or DeliveryStatus.Dead;
}
