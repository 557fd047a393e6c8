using System.Diagnostics;
using Npgsql;

namespace Brokkr.Host.Data;

/// <summary>Checks a pool checkout and <c>SELECT 1</c> within 750 ms; the answer is cached for 2 s.</summary>
internal sealed class ReadinessProbe(NpgsqlDataSource dataSource)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _checkedAt;
    private bool _ready;

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        if (_checkedAt != 0 && Stopwatch.GetElapsedTime(_checkedAt) < TimeSpan.FromSeconds(2))
        {
            return _ready;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_checkedAt == 0 || Stopwatch.GetElapsedTime(_checkedAt) >= TimeSpan.FromSeconds(2))
            {
                _ready = await ProbeAsync(cancellationToken);
                _checkedAt = Stopwatch.GetTimestamp();
            }

            return _ready;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> ProbeAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(750));
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException or System.Net.Sockets.SocketException)
        {
            NpgsqlConnection.ClearAllPools();
            return false;
        }
    }
}
