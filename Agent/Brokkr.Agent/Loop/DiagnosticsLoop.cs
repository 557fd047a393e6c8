using System.Net;
using Brokkr.Agent.Broker;
using Brokkr.Agent.Configuration;
using Brokkr.Agent.Diagnostics;
using Brokkr.Agent.Domain;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.Loop;

/// <summary>
/// Every 10 s (or the polling interval when shorter) while ACTIVE (behaviour §8): claim each pending
/// diagnostics request, work out the deployment object's namespaces (from the applied set, else from
/// the object's documents, else <c>default</c>), collect, and submit the result.
/// </summary>
internal sealed class DiagnosticsLoop(
    AgentOptions options,
    IBrokerClient broker,
    DiagnosticsCollector collector,
    Func<IReadOnlyCollection<AppliedStack>> applied,
    AgentRuntime runtime,
    TimeProvider time,
    ILogger<DiagnosticsLoop> logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    public Trigger Trigger { get; } = new(time);

    public Task RunAsync(Guid agentId, CancellationToken cancellationToken)
        => Trigger.RepeatAsync(options.PollingPeriod < Interval ? options.PollingPeriod : Interval, () => PassAsync(agentId, cancellationToken), cancellationToken);

    public async Task PassAsync(Guid agentId, CancellationToken cancellationToken)
    {
        if (!runtime.IsActive)
        {
            return;
        }

        try
        {
            foreach (var request in await broker.GetPendingDiagnosticsAsync(agentId, cancellationToken))
            {
                try
                {
                    await broker.ClaimDiagnosticAsync(request.Id, cancellationToken);
                }
                catch (BrokerException e) when (e.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
                {
                    continue;
                }

                var namespaces = await NamespacesAsync(request.DeploymentObjectId, cancellationToken);
                var result = await collector.CollectAsync(request.DeploymentObjectId, namespaces, cancellationToken);
                await broker.SubmitDiagnosticResultAsync(request.Id, result, cancellationToken);
                logger.LogInformation("Answered diagnostics request {RequestId} for {DeploymentObjectId} ({Namespaces})", request.Id, request.DeploymentObjectId, string.Join(", ", namespaces));
            }
        }
        catch (BrokerException e)
        {
            logger.LogWarning("Diagnostics pass failed: {Error}", e.Message);
        }
    }

    private async Task<IReadOnlyCollection<string>> NamespacesAsync(Guid deploymentObjectId, CancellationToken cancellationToken)
    {
        var known = applied().FirstOrDefault(s => s.DeploymentObjectId == deploymentObjectId);
        if (known is not null && known.Objects.Any(o => o.Namespace is not null))
        {
            return known.Objects.Select(o => o.Namespace).OfType<string>().Distinct().ToList();
        }

        try
        {
            var item = await broker.GetDeploymentObjectAsync(deploymentObjectId, cancellationToken);
            var namespaces = ManifestParser.Parse(item.YamlContent).Where(o => !o.IsNamespace).Select(o => o.Namespace ?? options.DefaultNamespace).Distinct().ToList();
            return namespaces.Count > 0 ? namespaces : [options.DefaultNamespace];
        }
        catch (Exception e) when (e is BrokerException or ManifestException)
        {
            return [options.DefaultNamespace];
        }
    }
}
