using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Brokkr.Webhooks.Domain;

/// <summary>
/// Keeps <see cref="SubscriptionIndex"/> current on every replica: LISTENs for subscription changes
/// (notified in the changing transaction, so delivered on commit), then reloads the patterns of the
/// enabled subscriptions. LISTEN comes before the load, so no change falls between them; while the
/// connection is down the index knows nothing and every event goes to the database.
/// </summary>
internal sealed class SubscriptionChangeListener(NpgsqlDataSource dataSource, SubscriptionIndex index, ILogger<SubscriptionChangeListener> logger)
    : BackgroundService
{
    public const string Channel = "brokkr_webhook_subscriptions_changed";
    private const string LoadSql = "SELECT DISTINCT unnest(event_types) FROM webhook_subscriptions WHERE enabled";

    private const int QuietReloadMilliseconds = 10_000;

    private int _dirty;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) =>
                {
                    index.Invalidate();
                    Volatile.Write(ref _dirty, 1);
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                Volatile.Write(ref _dirty, 1);
                while (!stoppingToken.IsCancellationRequested)
                {
                    while (Interlocked.Exchange(ref _dirty, 0) == 1)
                    {
                        await LoadAsync(connection, stoppingToken);
                    }

                    // A change announced here and then rolled back sends no notification: reload after a quiet spell.
                    if (!await connection.WaitAsync(QuietReloadMilliseconds, stoppingToken) && !index.IsLoaded)
                    {
                        Volatile.Write(ref _dirty, 1);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                index.Invalidate();
                return;
            }
            catch (Exception ex)
            {
                index.Invalidate();
                logger.LogWarning("Webhook subscription listener disconnected: {Error}; every event is checked against the database until it reconnects", ex.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task LoadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var generation = index.Generation;
        var patterns = new List<string>();
        await using var command = new NpgsqlCommand(LoadSql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            patterns.Add(reader.GetString(0));
        }

        index.TrySet(generation, new PatternSet(patterns));
    }
}
