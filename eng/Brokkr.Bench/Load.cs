using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Brokkr.Bench;

internal static class Load
{
    public static HttpClient CreateClient(Options options)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
        };
        return new HttpClient(handler) { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(60) };
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, string? pak, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (pak is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", pak);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }

    public static async Task<JsonNode?> SendJsonAsync(HttpClient http, HttpMethod method, string path, string pak, object? body)
    {
        using var request = Request(method, path, pak, body is null ? null : JsonSerializer.Serialize(body));
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        }

        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    public static async Task<JsonNode?> SendRawAsync(HttpClient http, string path, string pak, string contentType, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", pak);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        }

        return JsonNode.Parse(text);
    }

    /// <summary>Runs <paramref name="work"/> over the items with at most <paramref name="parallelism"/> in flight.</summary>
    public static Task ForEachAsync<T>(IEnumerable<T> items, int parallelism, Func<T, Task> work)
        => Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (item, _) => await work(item));
}
