using Brokkr.Contracts.Fleet;
using Brokkr.Contracts.Realtime;
using Brokkr.Realtime.Channel;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Brokkr.Realtime.Live;

/// <summary>
/// Every <see cref="RealtimeOptions.FleetSweepInterval"/>, while this replica has fleet subscribers
/// (each replica sweeps for its own), re-reads every record in one statement and re-sends those whose pending objects, pending or
/// claimed work orders, failing or degraded health changed since the last pass: changes no
/// heartbeat or connection announces. The first pass only records the baseline, as the reference.
/// </summary>
internal sealed class FleetSweep(LiveHub hub, IServiceScopeFactory scopes, RealtimeOptions options, ILogger<FleetSweep> logger) : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<Guid, Counts>? _baseline;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.FleetSweepInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Fleet sweep failed: {Error}", ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (hub.FleetSubscribers == 0)
            {
                _baseline = null;
                return;
            }

            await using var scope = scopes.CreateAsyncScope();
            var sender = scope.ServiceProvider.GetRequiredService<ISender>();
            var records = await sender.Send(new ListFleetRecords(), cancellationToken);
            var next = new Dictionary<Guid, Counts>(records.Count);
            foreach (var record in records)
            {
                var counts = new Counts(record.PendingObjectCount, record.PendingWorkOrders, record.ClaimedWorkOrders, record.HealthFailing, record.HealthDegraded);
                next[record.AgentId] = counts;
                if (_baseline is not null && (!_baseline.TryGetValue(record.AgentId, out var before) || before != counts))
                {
                    hub.PublishFleet(OutboundFrame.Create(WireMessageTypes.FleetUpdate, record));
                }
            }

            _baseline = next;
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed record Counts(long PendingObjects, long PendingWorkOrders, long ClaimedWorkOrders, long HealthFailing, long HealthDegraded);
}
