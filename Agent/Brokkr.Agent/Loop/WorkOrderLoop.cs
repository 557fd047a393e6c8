using System.Net;
using Brokkr.Agent.Broker;
using Brokkr.Agent.Configuration;
using Brokkr.Agent.WorkOrders;
using Brokkr.Contracts.WorkOrders;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.Loop;

/// <summary>
/// Every polling interval while ACTIVE (behaviour §6): claim the oldest pending work order this
/// agent may take (another agent winning the claim moves on to the next), run it, and report how it
/// ended; one order per pass. A completion the broker does not take is retried until the claim
/// would have expired anyway.
/// </summary>
internal sealed class WorkOrderLoop(
    AgentOptions options,
    IBrokerClient broker,
    WorkOrderExecutor executor,
    AgentRuntime runtime,
    TimeProvider time,
    ILogger<WorkOrderLoop> logger)
{
    public Trigger Trigger { get; } = new(time);

    public Task RunAsync(Guid agentId, CancellationToken stopping, CancellationToken hard)
        => Trigger.RepeatAsync(options.PollingPeriod, () => PassAsync(agentId, hard), stopping);

    public async Task PassAsync(Guid agentId, CancellationToken cancellationToken)
    {
        if (!runtime.IsActive)
        {
            return;
        }

        IReadOnlyList<WorkOrder> pending;
        try
        {
            pending = await broker.GetPendingWorkOrdersAsync(agentId, cancellationToken);
        }
        catch (BrokerException e)
        {
            logger.LogWarning("Could not list pending work orders: {Error}", e.Message);
            return;
        }

        foreach (var candidate in pending)
        {
            WorkOrder order;
            try
            {
                order = await broker.ClaimWorkOrderAsync(candidate.Id, agentId, cancellationToken);
            }
            catch (BrokerException e) when (e.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
            {
                continue;
            }
            catch (BrokerException e)
            {
                logger.LogWarning("Could not claim work order {WorkOrderId}: {Error}", candidate.Id, e.Message);
                return;
            }

            var claimedAt = order.ClaimedAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : time.GetUtcNow();
            logger.LogInformation("Claimed work order {WorkOrderId} ({WorkType})", order.Id, order.WorkType);
            var outcome = await executor.RunAsync(order, claimedAt, cancellationToken);
            logger.LogInformation("Work order {WorkOrderId} {Result}: {Message}", order.Id, outcome.Success ? "succeeded" : outcome.Retryable ? "failed (retryable)" : "failed", outcome.Message);
            await CompleteAsync(order, claimedAt, outcome, cancellationToken);
            return;
        }
    }

    private async Task CompleteAsync(WorkOrder order, DateTimeOffset claimedAt, WorkOrderOutcome outcome, CancellationToken cancellationToken)
    {
        var giveUpAt = claimedAt + TimeSpan.FromSeconds(Math.Max(order.ClaimTimeoutSeconds, 1));
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await broker.CompleteWorkOrderAsync(order.Id, new CompleteWorkOrderRequest(outcome.Success, outcome.Message, outcome.Retryable), cancellationToken);
                return;
            }
            catch (BrokerException e) when (e.IsTransient && time.GetUtcNow() + delay < giveUpAt)
            {
                logger.LogWarning("Could not report work order {WorkOrderId}, trying again in {Delay}: {Error}", order.Id, delay, e.Message);
                await Task.Delay(delay, time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(60).Ticks));
            }
            catch (BrokerException e)
            {
                logger.LogError("Could not report work order {WorkOrderId}; the broker will offer it again when the claim expires: {Error}", order.Id, e.Message);
                return;
            }
        }
    }
}
