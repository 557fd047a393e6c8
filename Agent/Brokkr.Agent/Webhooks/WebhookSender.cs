using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace Brokkr.Agent.Webhooks;

/// <summary>
/// Delivers one webhook from inside the cluster (behaviour §7, agent path): POST of the payload with
/// <c>Content-Type: application/json</c>, <c>X-Brokkr-Event-Type</c>, <c>X-Brokkr-Delivery-Id</c>, the
/// subscription's <c>Authorization</c> and the broker's signature headers, within its timeout. Success is a 2xx; the broker classifies the rest.
/// </summary>
internal sealed class WebhookSender(HttpMessageHandler? handler = null) : IDisposable
{
    private readonly HttpClient _http = new(handler ?? new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) }) { Timeout = Timeout.InfiniteTimeSpan };

    public async Task<DeliveryResultRequest> DeliverAsync(PendingWebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, delivery.TimeoutSeconds)));
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
            {
                Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation("X-Brokkr-Event-Type", delivery.EventType);
            request.Headers.TryAddWithoutValidation("X-Brokkr-Delivery-Id", delivery.Id.ToString());
            if (!string.IsNullOrEmpty(delivery.AuthHeader))
            {
                request.Headers.TryAddWithoutValidation("Authorization", delivery.AuthHeader);
            }

            foreach (var (name, value) in delivery.SignatureHeaders ?? new Dictionary<string, string>())
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await _http.SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            return new DeliveryResultRequest(response.IsSuccessStatusCode, status, response.IsSuccessStatusCode ? null : $"HTTP {status}", Elapsed(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryResultRequest(false, null, $"timed out after {Math.Max(1, delivery.TimeoutSeconds)} s", Elapsed(started));
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or UriFormatException)
        {
            return new DeliveryResultRequest(false, null, e.Message, Elapsed(started));
        }
    }

    public void Dispose() => _http.Dispose();

    private static long Elapsed(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
