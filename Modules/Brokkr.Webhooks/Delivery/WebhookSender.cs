using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Brokkr.Webhooks.Domain;

namespace Brokkr.Webhooks.Delivery;

/// <summary>One POST of a payload to a subscriber, as the broker sends it (the delivery job and the test endpoint).</summary>
internal sealed record OutgoingWebhook(
    string Url,
    string? AuthHeader,
    string? SigningSecret,
    string Payload,
    string EventType,
    Guid? DeliveryId,
    int TimeoutSeconds);

/// <summary>The answer, or why there was none. <paramref name="Body"/> holds at most the first 500 characters.</summary>
internal sealed record SendResult(int? StatusCode, string Body, string? TransportError, TimeSpan Duration)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}

internal sealed class WebhookSender(IHttpClientFactory clients, TimeProvider time)
{
    public const string ClientName = "brokkr-webhooks";
    private const int MaxBodyCharacters = 500;

    public async Task<SendResult> SendAsync(OutgoingWebhook webhook, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(Math.Max(1, webhook.TimeoutSeconds));
        var started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var request = Build(webhook);
            using var response = await clients.CreateClient(ClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var body = response.IsSuccessStatusCode ? string.Empty : await ReadStartAsync(response, deadline.Token);
            return new SendResult((int)response.StatusCode, body, null, Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failure($"operation timed out after {timeout.TotalSeconds:0} s", started);
        }
        catch (HttpRequestException ex)
        {
            return Failure(ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message, started);
        }
        catch (Exception ex) when (ex is UriFormatException or InvalidOperationException or ArgumentException or NotSupportedException or FormatException)
        {
            return Failure($"invalid request: {ex.Message}", started);
        }
    }

    private HttpRequestMessage Build(OutgoingWebhook webhook)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(webhook.Url, UriKind.Absolute))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(webhook.Payload)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (!string.IsNullOrEmpty(webhook.AuthHeader))
        {
            request.Headers.TryAddWithoutValidation("Authorization", webhook.AuthHeader);
        }

        request.Headers.TryAddWithoutValidation(WebhookSignature.EventTypeHeader, webhook.EventType);
        if (webhook.DeliveryId is { } id)
        {
            request.Headers.TryAddWithoutValidation(WebhookSignature.DeliveryIdHeader, id.ToString("D"));
        }

        if (!string.IsNullOrEmpty(webhook.SigningSecret))
        {
            foreach (var (name, value) in WebhookSignature.Headers(webhook.SigningSecret, time.GetUtcNow(), webhook.Payload))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }

    private static async Task<string> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxBodyCharacters * 4];
            var read = 0;
            int chunk;
            while (read < buffer.Length && (chunk = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
            {
                read += chunk;
            }

            return DeliveryRules.Truncate(Encoding.UTF8.GetString(buffer, 0, read), MaxBodyCharacters);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return string.Empty;
        }
    }

    private static SendResult Failure(string error, long started) => new(null, string.Empty, error, Stopwatch.GetElapsedTime(started));
}
