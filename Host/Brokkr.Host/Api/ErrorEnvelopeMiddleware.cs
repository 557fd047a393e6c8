using System.Text.Json;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Json;
using Npgsql;

namespace Brokkr.Host.Api;

/// <summary>The one place where every failure becomes <c>{code, message, details?}</c>.</summary>
internal sealed class ErrorEnvelopeMiddleware(RequestDelegate next, ILogger<ErrorEnvelopeMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            var error = Map(ex);
            if (error.Status >= 500)
            {
                logger.LogError(ex, "Request {Method} {Path} failed", context.Request.Method, context.Request.Path);
            }
            else if (error.Status == 503)
            {
                logger.LogWarning("Database unavailable for {Method} {Path}: {Error}", context.Request.Method, context.Request.Path, ex.Message);
            }

            await WriteAsync(context, error.Status, new ErrorEnvelope(error.Code, error.Message, error.Details));
        }
    }

    public static ApiException Map(Exception exception) => exception switch
    {
        ApiException api => api,
        BadHttpRequestException bad => bad.StatusCode switch
        {
            413 => new ApiException(413, "payload_too_large", "The request body is too large"),
            415 => new ApiException(415, "unsupported_media_type", "Unsupported content type"),
            _ => ApiException.BadRequest("invalid_request", bad.Message),
        },
        JsonException => ApiException.BadRequest("invalid_json", "The request body is not valid JSON"),
        OperationCanceledException => new ApiException(499, "request_cancelled", "The request was cancelled"),
        _ when DatabaseErrors.Map(exception) is { } mapped => mapped,
        NpgsqlException or TimeoutException => new ApiException(503, "database_unavailable", "The database is unavailable"),
        _ when exception.InnerException is NpgsqlException => new ApiException(503, "database_unavailable", "The database is unavailable"),
        _ => new ApiException(500, "internal_error", "An internal error occurred"),
    };

    public static Task WriteAsync(HttpContext context, int status, ErrorEnvelope envelope)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, envelope, BrokkrJson.Options, context.RequestAborted);
    }
}
