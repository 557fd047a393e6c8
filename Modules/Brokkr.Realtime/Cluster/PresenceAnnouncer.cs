using System.Threading.Channels;
using Brokkr.Realtime.Live;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Brokkr.Realtime.Cluster;

/// <summary>
/// Tells the other replicas at once when this replica's live subscribers change (one write and one
/// NOTIFY per burst of changes, in order), so that their frames start reaching a new subscriber
/// without waiting for the next replica tick.
/// </summary>
internal sealed class PresenceAnnouncer : BackgroundService
{
    private readonly Channel<bool> _changed = System.Threading.Channels.Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private readonly ReplicaTicker _ticker;
    private readonly ILogger<PresenceAnnouncer> _logger;

    public PresenceAnnouncer(LiveHub hub, ReplicaTicker ticker, ILogger<PresenceAnnouncer> logger)
    {
        _ticker = ticker;
        _logger = logger;
        hub.PresenceChanged += () => _changed.Writer.TryWrite(true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var _ in _changed.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await _ticker.PublishPresenceAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The next replica tick writes the same state.
                    _logger.LogWarning("Realtime presence not announced: {Error}", ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
