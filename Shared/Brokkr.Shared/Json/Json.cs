using System.Reflection;
using System.Text.Json;
using Brokkr.Shared.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Brokkr.Shared.Json;

/// <summary>
/// A JSON request body bound with the reference's extraction rules: a non-JSON content type is
/// 415, malformed JSON 400, JSON of the wrong shape 422, all with the envelope.
/// </summary>
public sealed class Json<T> : IBindableFromHttpContext<Json<T>>
{
    private Json(T value) => Value = value;

    public T Value { get; }

    public static async ValueTask<Json<T>?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var bytes = await RequestBody.ReadJsonAsync(context);
        try
        {
            var value = JsonSerializer.Deserialize<T>(bytes, BrokkrJson.Options);
            if (value is null)
            {
                throw ApiException.Unprocessable("invalid_request_body", "The request body must not be null");
            }

            return new Json<T>(value);
        }
        catch (JsonException ex)
        {
            throw RequestBody.Classify(bytes, ex);
        }
    }
}

public static class RequestBody
{
    public const long MaxBytes = 2 * 1024 * 1024;

    public static bool IsJsonContentType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    public static async ValueTask<byte[]> ReadJsonAsync(HttpContext context)
    {
        if (!IsJsonContentType(context.Request.ContentType))
        {
            throw new ApiException(415, "unsupported_media_type", "Expected a request with 'Content-Type: application/json'");
        }

        return await ReadAsync(context);
    }

    public static async ValueTask<byte[]> ReadAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBytes)
        {
            throw TooLarge();
        }

        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = MaxBytes;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public static ApiException Classify(byte[] body, JsonException exception)
    {
        try
        {
            using var _ = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return ApiException.BadRequest("invalid_json", "The request body is not valid JSON");
        }

        var where = string.IsNullOrEmpty(exception.Path) ? string.Empty : $" at '{exception.Path}'";
        return ApiException.Unprocessable("invalid_request_body", $"The request body has the wrong shape{where}");
    }

    private static ApiException TooLarge() => new(413, "payload_too_large", $"The request body exceeds {MaxBytes} bytes");
}
