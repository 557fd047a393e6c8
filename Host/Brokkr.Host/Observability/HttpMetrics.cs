using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Routing.Patterns;
using Prometheus;

namespace Brokkr.Host.Observability;

/// <summary>
/// <c>brokkr_http_requests_total</c> and <c>brokkr_http_request_duration_seconds</c> labelled by the
/// route template (ids as <c>:id</c>, as the reference labels them), method and status.
/// </summary>
internal sealed class HttpMetrics
{
    private static readonly Counter Requests = Metrics.CreateCounter(
        "brokkr_http_requests_total", "HTTP requests handled", ["endpoint", "method", "status"]);

    private static readonly Histogram Duration = Metrics.CreateHistogram(
        "brokkr_http_request_duration_seconds", "HTTP request duration in seconds", new HistogramConfiguration
        {
            LabelNames = ["endpoint", "method"],
            Buckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        });

    private readonly ConcurrentDictionary<string, string> _labels = new();

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments("/metrics"))
        {
            await next(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var endpoint = EndpointLabel(context);
            var method = context.Request.Method;
            Requests.WithLabels(endpoint, method, StatusLabel(context.Response.StatusCode)).Inc();
            Duration.WithLabels(endpoint, method).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    private string EndpointLabel(HttpContext context)
    {
        if (context.GetEndpoint() is RouteEndpoint { RoutePattern: var pattern })
        {
            return _labels.GetOrAdd(pattern.RawText ?? "/", _ => FromPattern(pattern));
        }

        return "unmatched";
    }

    private static string FromPattern(RoutePattern pattern)
    {
        var parts = pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => parameter.Name.EndsWith("id", StringComparison.OrdinalIgnoreCase) ? ":id" : ":" + parameter.Name,
            _ => string.Empty,
        })));
        return "/" + string.Join('/', parts);
    }

    private static string StatusLabel(int status) => status switch
    {
        200 => "200",
        201 => "201",
        204 => "204",
        304 => "304",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
