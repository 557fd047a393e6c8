using System.Threading.Channels;
using Brokkr.Shared.Errors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agents.Ingest;

/// <summary>
/// Group commit (ADR 0031): requests queue their item and wait; one loop per process takes everything
/// that queued while the previous batch was in flight and writes it with one statement and one commit,
/// then answers every waiter. Nothing waits on a timer: a lone item leaves at once. A waiter is answered
/// only after its batch committed. A data error (a constraint, a bad value) makes the loop write that
/// batch's items one by one so that each request gets its own answer; any other failure (the database
/// is unreachable) is every waiter's answer.
/// </summary>
internal abstract class GroupCommit<TItem, TResult> : IAsyncDisposable, IDisposable
{
    private readonly Channel<Pending> _queue;
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger _logger;
    private readonly int _maxWeight;
    private readonly Lock _gate = new();
    private Task? _loop;

    protected GroupCommit(IServiceScopeFactory scopes, ILogger logger, int capacity, int maxWeight)
    {
        _scopes = scopes;
        _logger = logger;
        _maxWeight = maxWeight;
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Items waiting for the next batch (tests use it to know a batch will hold them all).</summary>
    internal int Queued => _queue.Reader.Count;

    /// <summary>How many rows an item adds to a batch (an item is never split across batches).</summary>
    protected virtual int Weight(TItem item) => 1;

    /// <summary>
    /// Writes the batch in <paramref name="services"/>' scope (its <c>BrokkrDb</c>) and answers each item,
    /// in order: its result, or the exception that request alone gets while the others are stored.
    /// </summary>
    protected abstract Task<Outcome[]> WriteAsync(IServiceProvider services, IReadOnlyList<TItem> items, CancellationToken cancellationToken);

    public async Task<TResult> SubmitAsync(TItem item, CancellationToken cancellationToken)
    {
        EnsureStarted();
        var pending = new Pending(item, cancellationToken);
        try
        {
            // Bounded: when the database falls behind, requests wait here instead of piling up in memory.
            await _queue.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new ApiException(503, "shutting_down", "The broker is shutting down");
        }

        // A caller that gives up stops waiting; an item already in a batch is still stored.
        return await pending.Completion.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        Task? loop;
        lock (_gate)
        {
            loop = _loop;
        }

        if (loop is not null)
        {
            await loop;
        }
    }

    /// <summary>For a container disposed synchronously: the same drain, waited for at most a while.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        Task? loop;
        lock (_gate)
        {
            loop = _loop;
        }

        loop?.Wait(TimeSpan.FromSeconds(30));
    }

    private void EnsureStarted()
    {
        if (Volatile.Read(ref _loop) is not null)
        {
            return;
        }

        lock (_gate)
        {
            _loop ??= Task.Run(RunAsync);
        }
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>();
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            var weight = 0;
            while (weight < _maxWeight && reader.TryPeek(out var next))
            {
                var nextWeight = Weight(next.Item);
                if (batch.Count > 0 && weight + nextWeight > _maxWeight)
                {
                    break;
                }

                reader.TryRead(out _);
                if (next.Cancellation.IsCancellationRequested)
                {
                    next.Completion.TrySetCanceled(next.Cancellation);
                    continue;
                }

                batch.Add(next);
                weight += nextWeight;
            }

            if (batch.Count > 0)
            {
                await WriteBatchAsync(batch);
            }
        }
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        try
        {
            Answer(batch, await WriteInScopeAsync(batch.ConvertAll(p => p.Item)));
        }
        catch (Exception ex) when (batch.Count > 1 && DatabaseErrors.Map(ex) is not null)
        {
            _logger.LogWarning("A batch of {Count} failed with a data error ({Error}); writing its items one by one", batch.Count, ex.Message);
            foreach (var pending in batch)
            {
                try
                {
                    Answer([pending], await WriteInScopeAsync([pending.Item]));
                }
                catch (Exception single)
                {
                    pending.Completion.TrySetException(single);
                }
            }
        }
        catch (Exception ex)
        {
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(ex);
            }
        }
    }

    private async Task<Outcome[]> WriteInScopeAsync(List<TItem> items)
    {
        await using var scope = _scopes.CreateAsyncScope();
        return await WriteAsync(scope.ServiceProvider, items, CancellationToken.None);
    }

    private static void Answer(List<Pending> batch, Outcome[] outcomes)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (outcomes[i].Error is { } error)
            {
                batch[i].Completion.TrySetException(error);
            }
            else
            {
                batch[i].Completion.TrySetResult(outcomes[i].Value!);
            }
        }
    }

    internal readonly record struct Outcome(TResult? Value, Exception? Error)
    {
        public static Outcome Of(TResult value) => new(value, null);

        public static Outcome Failed(Exception error) => new(default, error);
    }

    private sealed record Pending(TItem Item, CancellationToken Cancellation)
    {
        public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
