using System.Net;

namespace Brokkr.Agent.Broker;

/// <summary>
/// The broker answered with an error status, or could not be reached (<see cref="StatusCode"/> null).
/// <see cref="Code"/> is the envelope's <c>code</c> when there was one.
/// </summary>
internal sealed class BrokerException(string message, HttpStatusCode? statusCode = null, string? code = null, Exception? inner = null)
    : Exception(message, inner)
{
    public HttpStatusCode? StatusCode { get; } = statusCode;

    public string? Code { get; } = code;

    /// <summary>Worth trying again later: unreachable, timeouts, throttling, 5xx, and auth (a PAK may be rotated back).</summary>
    public bool IsTransient => StatusCode is null
        || (int)StatusCode >= 500
        || StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
}
