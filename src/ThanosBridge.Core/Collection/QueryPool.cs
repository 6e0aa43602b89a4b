using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace ThanosBridge.Core.Collection;

/// <summary>
/// A fixed number of slots shared by every query of one cluster-day. Work is added while the pool runs, as soon as what it
/// depends on has answered, so a slot never waits for a whole phase to finish and the slots are never exceeded (two
/// loops side by side, as before, could put twice the setting in flight).
/// </summary>
internal sealed class QueryPool
{
    private readonly Channel<Func<CancellationToken, Task>> queue =
        Channel.CreateUnbounded<Func<CancellationToken, Task>>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });

    private int outstanding;

    /// <summary>Queues work. Call it before the work that decided it returns, so the pool cannot run dry in between.</summary>
    public void Add(Func<CancellationToken, Task> work)
    {
        Interlocked.Increment(ref outstanding);
        queue.Writer.TryWrite(work);
    }

    /// <summary>
    /// Runs the queued work and whatever it adds, at most <paramref name="slots"/> at once, in the order it was added.
    /// The first failure cancels the rest and is rethrown.
    /// </summary>
    public async Task RunAsync(int slots, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? failure = null;
        if (Volatile.Read(ref outstanding) == 0)
        {
            return;
        }

        async Task SlotAsync()
        {
            // The current scheduler, not the pool's: a caller's scheduler (a test's, deterministic) keeps the work.
            await Task.Yield();
            while (await queue.Reader.WaitToReadAsync(stop.Token))
            {
                if (!queue.Reader.TryRead(out var work))
                {
                    continue;
                }

                try
                {
                    await work(stop.Token);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                    stop.Cancel();
                    queue.Writer.TryComplete();
                    return;
                }

                if (Interlocked.Decrement(ref outstanding) == 0)
                {
                    queue.Writer.TryComplete();
                }
            }
        }

        try
        {
            await Task.WhenAll(Enumerable.Range(0, Math.Max(1, slots)).Select(_ => SlotAsync()));
        }
        catch (OperationCanceledException) when (failure is not null || cancellationToken.IsCancellationRequested)
        {
            // The slots that were waiting for work when the pool was stopped; the cause is rethrown below.
        }

        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}
