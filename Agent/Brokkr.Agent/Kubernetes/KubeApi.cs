using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace Brokkr.Agent.Kubernetes;

/// <summary>
/// The Kubernetes REST calls the agent makes, on any resource type by path. KubernetesClient provides
/// the connection (kubeconfig or in-cluster, TLS, client certificates, token refresh); the requests
/// are plain HTTP so that server-side apply, dry runs and discovery work the same for built-in kinds
/// and custom resources.
/// </summary>
internal sealed class KubeApi : IDisposable
{
    public const string ApplyPatchContentType = "application/apply-patch+yaml";

    private readonly k8s.Kubernetes _client;
    private readonly HttpClient _http;
    private readonly HttpClient _stream;

    public KubeApi(KubernetesClientConfiguration configuration)
    {
        // The client builds its TLS handler behind the handlers it is given: the first of them is the
        // entry point of that pipeline, which the plain requests below go through.
        var entry = new PassThroughHandler();
        _client = new k8s.Kubernetes(configuration, entry);
        BaseUri = new Uri(configuration.Host.TrimEnd('/') + "/");
        _http = new HttpClient(entry, disposeHandler: false)
        {
            BaseAddress = BaseUri,
            Timeout = TimeSpan.FromSeconds(30),
        };
        _stream = new HttpClient(entry, disposeHandler: false)
        {
            BaseAddress = BaseUri,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public Uri BaseUri { get; }

    public Health.AgentMetrics? Metrics { get; set; }

    /// <summary><c>GET /version</c>: the server's gitVersion; throws when the server cannot be reached.</summary>
    public async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        var version = await SendAsync(HttpMethod.Get, "version", null, null, "version", cancellationToken);
        return version?["gitVersion"]?.GetValue<string>() ?? "unknown";
    }

    /// <summary>GET an object or any JSON document; null on 404.</summary>
    public async Task<JsonObject?> GetAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(HttpMethod.Get, path, null, null, "get", cancellationToken);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<JsonObject>> ListAsync(string collectionPath, string? labelSelector, CancellationToken cancellationToken)
    {
        var path = labelSelector is null ? collectionPath : $"{collectionPath}?labelSelector={Uri.EscapeDataString(labelSelector)}";
        var list = await SendAsync(HttpMethod.Get, path, null, null, "list", cancellationToken);
        return list?["items"] is JsonArray items ? items.OfType<JsonObject>().ToList() : [];
    }

    /// <summary>A plain-text document (a pod's log); throws on any error.</summary>
    public async Task<string> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        if (_client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new KubeApiException(0, "Unreachable", $"GET {path}: Kubernetes API unreachable: {e.Message}", e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return response.IsSuccessStatusCode ? text : throw Failure(HttpMethod.Get, path, response.StatusCode, text);
        }
    }

    /// <summary>
    /// The lines of a streamed answer (a watch, or a followed log) as they arrive, until the server
    /// ends it or <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async IAsyncEnumerable<string> StreamLinesAsync(string path, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        if (_client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }

        HttpResponseMessage response;
        try
        {
            response = await _stream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new KubeApiException(0, "Unreachable", $"GET {path}: Kubernetes API unreachable: {e.Message}", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw Failure(HttpMethod.Get, path, response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            while (true)
            {
                string? line;
                try
                {
                    line = await reader.ReadLineAsync(cancellationToken);
                }
                catch (IOException)
                {
                    yield break;
                }

                if (line is null)
                {
                    yield break;
                }

                yield return line;
            }
        }
    }

    /// <summary>Server-side apply (PATCH with <c>application/apply-patch+yaml</c>; JSON is YAML).</summary>
    public async Task<JsonObject> ApplyAsync(string objectPath, JsonObject body, string fieldManager, bool force, bool dryRun, CancellationToken cancellationToken)
    {
        var query = $"?fieldManager={Uri.EscapeDataString(fieldManager)}&force={(force ? "true" : "false")}{(dryRun ? "&dryRun=All" : string.Empty)}";
        var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(ApplyPatchContentType);
        return (await SendAsync(HttpMethod.Patch, objectPath + query, content, null, dryRun ? "dry_run" : "apply", cancellationToken))!;
    }

    /// <summary>POST a new object to a collection.</summary>
    public async Task<JsonObject> CreateAsync(string collectionPath, JsonObject body, CancellationToken cancellationToken)
        => (await SendAsync(HttpMethod.Post, collectionPath, JsonContent(body), null, "create", cancellationToken))!;

    /// <summary>PUT an object; its <c>metadata.resourceVersion</c> makes the write conditional (409 when stale).</summary>
    public async Task<JsonObject> ReplaceAsync(string objectPath, JsonObject body, CancellationToken cancellationToken)
        => (await SendAsync(HttpMethod.Put, objectPath, JsonContent(body), null, "replace", cancellationToken))!;

    private static StringContent JsonContent(JsonObject body)
    {
        var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>DELETE with background propagation; false when the object was already gone.</summary>
    public async Task<bool> DeleteAsync(string objectPath, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(HttpMethod.Delete, objectPath + "?propagationPolicy=Background", null, null, "delete", cancellationToken);
            return true;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _stream.Dispose();
        _client.Dispose();
    }

    private async Task<JsonObject?> SendAsync(HttpMethod method, string path, HttpContent? content, string? accept, string operation, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept ?? "application/json"));
        if (_client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }

        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new KubeApiException(0, "Unreachable", $"{method} {path}: Kubernetes API unreachable: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KubeApiException(0, "Timeout", $"{method} {path}: the Kubernetes API did not answer in time", e);
        }
        finally
        {
            Metrics?.KubernetesOperation(operation, Stopwatch.GetElapsedTime(started));
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw Failure(method, path, response.StatusCode, text);
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            try
            {
                return JsonNode.Parse(text) as JsonObject;
            }
            catch (JsonException e)
            {
                throw new KubeApiException((int)response.StatusCode, "InvalidResponse", $"{method} {path}: the answer is not JSON: {e.Message}", e);
            }
        }
    }

    private sealed class PassThroughHandler : DelegatingHandler;

    private static KubeApiException Failure(HttpMethod method, string path, HttpStatusCode status, string text)
    {
        string? reason = null;
        var message = text;
        try
        {
            if (JsonNode.Parse(text) is JsonObject statusObject)
            {
                reason = statusObject["reason"]?.GetValue<string>();
                message = statusObject["message"]?.GetValue<string>() ?? text;
            }
        }
        catch (JsonException)
        {
            // Not a Status object: the text is the message.
        }

        return new KubeApiException((int)status, reason, $"{method} {path.Split('?')[0]}: {(int)status} {reason} {message}".Trim());
    }
}
