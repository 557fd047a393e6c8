using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Brokkr.Shared.Http;

/// <summary>
/// A 200 JSON array written from elements serialized earlier (and shared between responses), the
/// same bytes the serializer would write for the whole list, without serializing it again.
/// </summary>
public sealed class JsonArrayResult(IReadOnlyList<byte[]> elements) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        long length = 2 + Math.Max(0, elements.Count - 1);
        foreach (var element in elements)
        {
            length += element.Length;
        }

        response.ContentLength = length;
        var writer = response.BodyWriter;
        writer.Write("["u8);
        for (var i = 0; i < elements.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(","u8);
            }

            writer.Write(elements[i]);
        }

        writer.Write("]"u8);
        await writer.FlushAsync(httpContext.RequestAborted);
    }
}
