namespace Brokkr.Agent.Kubernetes;

/// <summary>
/// The API server refused a request (<see cref="StatusCode"/> and the Status object's reason and
/// message), or could not be reached (<see cref="StatusCode"/> 0).
/// </summary>
internal sealed class KubeApiException(int statusCode, string? reason, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public int StatusCode { get; } = statusCode;

    public string? Reason { get; } = reason;

    public bool IsNotFound => StatusCode == 404;

    /// <summary>The reference's retryable set (behaviour §14.6): 429, 500, 503, 504 and their reasons; plus unreachable.</summary>
    public bool IsRetryable => StatusCode is 0 or 429 or 500 or 503 or 504
        || Reason is "ServiceUnavailable" or "InternalError" or "Timeout" or "TooManyRequests";
}
