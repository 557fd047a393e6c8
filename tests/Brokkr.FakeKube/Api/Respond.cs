using System.Text;
using System.Text.Json.Nodes;
using Brokkr.FakeKube.Serialization;

namespace Brokkr.FakeKube.Api;

internal static class Respond
{
    public static async Task Json(HttpContext context, int status, string json, string contentType = "application/json")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.Headers.CacheControl = "no-cache, private";
        var bytes = Encoding.UTF8.GetBytes(json);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    public static Task Json(HttpContext context, int status, JsonNode node) => Json(context, status, KubeJson.Serialize(node));

    public static Task Failure(HttpContext context, ApiException error)
    {
        if (error.Code == 429)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        return Json(context, error.Code, StatusObjects.Failure(error.Code, error.Reason, error.Message, error.Details));
    }
}
