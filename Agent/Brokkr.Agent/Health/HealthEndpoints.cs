using System.Diagnostics;
using System.Text.Json.Nodes;
using Brokkr.Agent.Kubernetes;
using Brokkr.Agent.Loop;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace Brokkr.Agent.Health;

/// <summary>
/// The reference agent's health server (behaviour §14.7): <c>/healthz</c>, <c>/readyz</c> (503 while
/// the Kubernetes API does not answer), <c>/health</c> (JSON) and <c>/metrics</c>.
/// </summary>
internal static class HealthEndpoints
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    public static void Map(WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("OK"));

        app.MapGet("/readyz", async (AgentRuntime runtime, CancellationToken ct) =>
        {
            var kube = await ProbeAsync(runtime, ct);
            return kube.Connected
                ? Results.Text("Ready")
                : Results.Text("Kubernetes API unavailable", statusCode: StatusCodes.Status503ServiceUnavailable);
        });

        app.MapGet("/health", async (AgentRuntime runtime, TimeProvider time, CancellationToken ct) =>
        {
            var kube = await ProbeAsync(runtime, ct);
            var broker = runtime.Broker;
            var healthy = kube.Connected && broker.Connected;
            var kubernetes = new JsonObject { ["connected"] = kube.Connected };
            if (kube.Error is not null)
            {
                kubernetes["error"] = kube.Error;
            }

            var brokerJson = new JsonObject { ["connected"] = broker.Connected };
            if (broker.LastHeartbeat is { } last)
            {
                brokerJson["last_heartbeat"] = Timestamp(last);
            }

            var now = time.GetUtcNow();
            var body = new JsonObject
            {
                ["status"] = healthy ? "healthy" : "unhealthy",
                ["kubernetes"] = kubernetes,
                ["broker"] = brokerJson,
                ["uptime_seconds"] = (long)(now - runtime.StartedAt).TotalSeconds,
                ["version"] = typeof(HealthEndpoints).Assembly.GetName().Version?.ToString(3),
                ["timestamp"] = Timestamp(now),
            };
            return Results.Text(body.ToJsonString(), "application/json", statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });

        var registry = app.Services.GetRequiredService<AgentMetrics>().Registry;
        app.MapMetrics("/metrics", registry);
    }

    /// <summary>Asks the API server for its version now; the answer also updates the runtime's view.</summary>
    private static async Task<KubeHealth> ProbeAsync(AgentRuntime runtime, CancellationToken cancellationToken)
    {
        if (runtime.KubeClient is not { } kube)
        {
            return runtime.Kube ?? new KubeHealth(false, "not connected yet", null);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        var started = Stopwatch.GetTimestamp();
        KubeHealth health;
        try
        {
            await kube.VersionAsync(timeout.Token);
            health = new KubeHealth(true, null, (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (KubeApiException e)
        {
            health = new KubeHealth(false, e.Message, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            health = new KubeHealth(false, "Kubernetes API did not answer in time", null);
        }

        runtime.Kube = health;
        return health;
    }

    private static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
