using Brokkr.Auth;
using Brokkr.Host.Configuration;
using Brokkr.Host.Data;
using Brokkr.Host.Jobs;
using Brokkr.Host.Observability;
using Brokkr.Shared.Errors;
using Carter;
using Prometheus;
using Scalar.AspNetCore;

namespace Brokkr.Host.Api;

internal static class BrokkrPipeline
{
    public static void UseBrokkrPipeline(this WebApplication app)
    {
        app.UseMiddleware<ErrorEnvelopeMiddleware>();
        app.UseStatusCodePages(context => WriteStatusEnvelope(context.HttpContext));
        app.UseBrokkrCors();
        app.UseWebSockets();
        app.UseRouting();
        var metrics = app.Services.GetRequiredService<HttpMetrics>();
        app.Use((context, next) => metrics.InvokeAsync(context, next));
        app.UseBrokkrAuthentication();

        app.MapGet("/healthz", () => Results.Text("OK")).ExcludeFromDescription();
        app.MapGet("/readyz", async (ReadinessProbe probe, CancellationToken ct) => await probe.IsReadyAsync(ct)
            ? Results.Text("Ready")
            : Results.Text("database unavailable", statusCode: 503)).ExcludeFromDescription();
        app.MapMetrics("/metrics");
        app.MapOpenApi("/docs/openapi.json");
        app.MapScalarApiReference("/docs", o => o.WithTitle("Brokkr API").WithOpenApiRoutePattern("/docs/openapi.json"));
        app.MapCarter();
        app.MapBrokkrJobsApi();
        app.MapBrokkrConfigReload();
        app.MapBrokkrJobsPage();
    }

    private static Task WriteStatusEnvelope(HttpContext context)
    {
        var status = context.Response.StatusCode;
        var (code, message) = status switch
        {
            404 => ("not_found", "not found"),
            405 => ("method_not_allowed", "Method not allowed"),
            413 => ("payload_too_large", "The request body is too large"),
            415 => ("unsupported_media_type", "Unsupported content type"),
            401 => ("unauthorized", "Unauthorized"),
            403 => ("forbidden", "Forbidden"),
            _ => (status < 500 ? "bad_request" : "internal_error", "Request failed"),
        };
        return ErrorEnvelopeMiddleware.WriteAsync(context, status, new ErrorEnvelope(code, message));
    }
}
