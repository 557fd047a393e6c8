namespace Brokkr.Agent.Loop;

/// <summary>A periodic timer that can be fired early (a WebSocket push makes the matching step run at once).</summary>
internal sealed class Trigger(TimeProvider time)
{
    private readonly SemaphoreSlim _fired = new(0, 1);

    public void Fire()
    {
        try
        {
            _fired.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already fired and not yet consumed.
        }
    }

    /// <summary>Runs <paramref name="pass"/> now, then after each <paramref name="period"/> or earlier <see cref="Fire"/>, until <paramref name="stopping"/>.</summary>
    public async Task RepeatAsync(TimeSpan period, Func<Task> pass, CancellationToken stopping)
    {
        do
        {
            await pass();
        }
        while (await WaitAsync(period, stopping));
    }

    /// <summary>Waits for <paramref name="period"/> or an earlier <see cref="Fire"/>; false when cancelled.</summary>
    public async Task<bool> WaitAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = new CancellationTokenSource(period, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            await _fired.WaitAsync(linked.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return !cancellationToken.IsCancellationRequested;
        }
    }
}
