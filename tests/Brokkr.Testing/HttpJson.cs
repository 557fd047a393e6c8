using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shouldly;

namespace Brokkr.Testing;

/// <summary>Raw-wire helpers: bodies go out as given and come back as JSON nodes, so tests see the real shape.</summary>
public static class HttpJson
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object? body)
        => client.SendJsonAsync(HttpMethod.Post, url, body);

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, object? body)
        => client.SendJsonAsync(HttpMethod.Put, url, body);

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string url, object? body)
        => client.SendJsonAsync(HttpMethod.Patch, url, body);

    public static Task<HttpResponseMessage> DeleteJsonAsync(this HttpClient client, string url, object? body)
        => client.SendJsonAsync(HttpMethod.Delete, url, body);

    public static Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string url, object? body)
    {
        var text = body as string ?? JsonSerializer.Serialize(body);
        return client.SendRawAsync(method, url, text, "application/json");
    }

    public static Task<HttpResponseMessage> SendRawAsync(this HttpClient client, HttpMethod method, string url, string body, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return client.SendAsync(new HttpRequestMessage(method, url) { Content = content });
    }

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        return JsonNode.Parse(text)!;
    }

    /// <summary>Asserts the status and the error envelope's code.</summary>
    public static async Task<JsonNode> ShouldFailAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json", text);
        var node = JsonNode.Parse(text)!;
        node["code"]!.GetValue<string>().ShouldBe(code, text);
        node["message"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        return node;
    }

    public static string Str(this JsonNode node, string key) => node[key]!.GetValue<string>();

    public static Guid Id(this JsonNode node, string key = "id") => Guid.Parse(node[key]!.GetValue<string>());
}
