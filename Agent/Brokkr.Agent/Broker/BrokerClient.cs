using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Brokkr.Contracts.Agents;
using AgentRecord = Brokkr.Contracts.Agents.Agent;
using Brokkr.Contracts.Stacks;

namespace Brokkr.Agent.Broker;

/// <summary>
/// The REST client: Bearer PAK, the reference SDK's timeouts (30 s per request, 10 s to connect),
/// error envelopes turned into <see cref="BrokerException"/>.
/// </summary>
internal sealed class BrokerClient : IBrokerClient, IDisposable
{
    private readonly HttpClient _http;

    public BrokerClient(Uri brokerUrl, string pak, HttpMessageHandler? handler = null)
    {
        handler ??= new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10), PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        _http = new HttpClient(handler)
        {
            BaseAddress = new Uri(brokerUrl.ToString().TrimEnd('/') + "/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", pak);
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("brokkr-agent", typeof(BrokerClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
    }

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "readyz");
            using var response = await _http.SendAsync(request, cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public Task<AuthResponse> VerifyPakAsync(CancellationToken cancellationToken)
        => SendAsync<AuthResponse>(HttpMethod.Post, "api/v1/auth/pak", null, cancellationToken);

    public Task<AgentRecord> FindAgentAsync(string name, string clusterName, CancellationToken cancellationToken)
        => SendAsync<AgentRecord>(HttpMethod.Get, $"api/v1/agents/?name={Uri.EscapeDataString(name)}&cluster_name={Uri.EscapeDataString(clusterName)}", null, cancellationToken);

    public Task<AgentRecord> GetAgentAsync(Guid agentId, CancellationToken cancellationToken)
        => SendAsync<AgentRecord>(HttpMethod.Get, $"api/v1/agents/{agentId}", null, cancellationToken);

    public async Task<bool> RegisterWithGeneratorAsync(Guid generatorId, Guid agentId, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync<JsonElement>(HttpMethod.Post, $"api/v1/generators/{generatorId}/register", new { agent_id = agentId }, cancellationToken);
            return true;
        }
        catch (BrokerException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return true;
        }
    }

    public async Task<TargetStateResult> GetTargetStateAsync(Guid agentId, bool full, long? sinceSequence, string? ifNoneMatch, bool revalidate, CancellationToken cancellationToken)
    {
        var path = $"api/v1/agents/{agentId}/target-state?mode={(full ? "full" : "incremental")}";
        if (sinceSequence is { } since)
        {
            path += $"&since_sequence={since}";
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (!string.IsNullOrEmpty(ifNoneMatch))
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        if (revalidate)
        {
            request.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
        }

        using var response = await SendRawAsync(request, cancellationToken);
        var etag = response.Headers.ETag?.ToString();
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return new TargetStateResult(etag ?? ifNoneMatch, null);
        }

        await EnsureSuccessAsync(response, cancellationToken);
        var objects = await response.Content.ReadFromJsonAsync<List<DeploymentObject>>(BrokerJson.Options, cancellationToken)
            ?? throw new BrokerException("The broker answered target state with an empty body", response.StatusCode);
        return new TargetStateResult(etag, objects);
    }

    public async Task SendHeartbeatAsync(Guid agentId, HeartbeatReport report, CancellationToken cancellationToken)
        => await SendAsync<JsonElement?>(HttpMethod.Post, $"api/v1/agents/{agentId}/heartbeat", report, cancellationToken);

    public Task<AgentEvent> SendEventAsync(Guid agentId, NewAgentEvent agentEvent, CancellationToken cancellationToken)
        => SendAsync<AgentEvent>(HttpMethod.Post, $"api/v1/agents/{agentId}/events", agentEvent, cancellationToken);

    public async Task<IReadOnlyList<AgentEvent>> SendEventsAsync(Guid agentId, IReadOnlyList<NewAgentEvent> events, CancellationToken cancellationToken)
        => await SendAsync<List<AgentEvent>>(HttpMethod.Post, $"api/v1/agents/{agentId}/events/batch", events, cancellationToken) ?? [];

    public async Task ReportHealthAsync(Guid agentId, Brokkr.Contracts.Health.HealthStatusUpdate update, CancellationToken cancellationToken)
        => await SendAsync<JsonElement?>(HttpMethod.Patch, $"api/v1/agents/{agentId}/health-status", update, cancellationToken);

    public async Task<IReadOnlyList<Brokkr.Contracts.WorkOrders.WorkOrder>> GetPendingWorkOrdersAsync(Guid agentId, CancellationToken cancellationToken)
        => await SendAsync<List<Brokkr.Contracts.WorkOrders.WorkOrder>>(HttpMethod.Get, $"api/v1/agents/{agentId}/work-orders/pending", null, cancellationToken) ?? [];

    public Task<Brokkr.Contracts.WorkOrders.WorkOrder> ClaimWorkOrderAsync(Guid workOrderId, Guid agentId, CancellationToken cancellationToken)
        => SendAsync<Brokkr.Contracts.WorkOrders.WorkOrder>(HttpMethod.Post, $"api/v1/work-orders/{workOrderId}/claim", new Brokkr.Contracts.WorkOrders.ClaimWorkOrderRequest(agentId), cancellationToken);

    public async Task CompleteWorkOrderAsync(Guid workOrderId, Brokkr.Contracts.WorkOrders.CompleteWorkOrderRequest completion, CancellationToken cancellationToken)
        => await SendAsync<JsonElement?>(HttpMethod.Post, $"api/v1/work-orders/{workOrderId}/complete", completion, cancellationToken);

    public async Task<IReadOnlyList<Brokkr.Contracts.Diagnostics.DiagnosticRequest>> GetPendingDiagnosticsAsync(Guid agentId, CancellationToken cancellationToken)
        => await SendAsync<List<Brokkr.Contracts.Diagnostics.DiagnosticRequest>>(HttpMethod.Get, $"api/v1/agents/{agentId}/diagnostics/pending", null, cancellationToken) ?? [];

    public async Task ClaimDiagnosticAsync(Guid requestId, CancellationToken cancellationToken)
        => await SendAsync<JsonElement?>(HttpMethod.Post, $"api/v1/diagnostics/{requestId}/claim", null, cancellationToken);

    public async Task SubmitDiagnosticResultAsync(Guid requestId, Brokkr.Contracts.Diagnostics.SubmitDiagnosticResult result, CancellationToken cancellationToken)
        => await SendAsync<JsonElement?>(HttpMethod.Post, $"api/v1/diagnostics/{requestId}/result", result, cancellationToken);

    public Task<DeploymentObject> GetDeploymentObjectAsync(Guid deploymentObjectId, CancellationToken cancellationToken)
        => SendAsync<DeploymentObject>(HttpMethod.Get, $"api/v1/deployment-objects/{deploymentObjectId}", null, cancellationToken);

    public async Task<IReadOnlyList<Webhooks.PendingWebhookDelivery>> GetPendingWebhooksAsync(Guid agentId, CancellationToken cancellationToken)
        => await SendAsync<List<Webhooks.PendingWebhookDelivery>>(HttpMethod.Get, $"api/v1/agents/{agentId}/webhooks/pending", null, cancellationToken) ?? [];

    public async Task ReportWebhookResultAsync(Guid deliveryId, Webhooks.DeliveryResultRequest result, CancellationToken cancellationToken)
        => await SendAsync<JsonElement?>(HttpMethod.Post, $"api/v1/webhook-deliveries/{deliveryId}/result", result, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: BrokerJson.Options);
        }

        using var response = await SendRawAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
        {
            return default!;
        }

        try
        {
            return (await response.Content.ReadFromJsonAsync<T>(BrokerJson.Options, cancellationToken))!;
        }
        catch (JsonException e)
        {
            throw new BrokerException($"{method} /{path}: the broker's answer is not the expected JSON: {e.Message}", response.StatusCode, inner: e);
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new BrokerException($"{request.Method} /{request.RequestUri}: broker unreachable: {e.Message}", inner: e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BrokerException($"{request.Method} /{request.RequestUri}: the broker did not answer in time", inner: e);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        string? code = null;
        var message = text;
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (document.RootElement.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String)
                {
                    code = c.GetString();
                }

                if (document.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                {
                    message = m.GetString() ?? text;
                }
            }
        }
        catch (JsonException)
        {
            // A bare status (the reference broker's 401) or plain text: the text is the message.
        }

        var request = response.RequestMessage;
        throw new BrokerException(
            $"{request?.Method} {request?.RequestUri?.AbsolutePath}: {(int)response.StatusCode} {code} {message}".Trim(),
            response.StatusCode,
            code);
    }
}
