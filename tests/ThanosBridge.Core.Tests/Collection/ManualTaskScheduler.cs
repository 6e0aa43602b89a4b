using System.Collections.Concurrent;

namespace ThanosBridge.Core.Tests.Collection;

/// <summary>
/// Runs its tasks only when the test says so, on the test's thread, one at a time. Code started on it keeps its
/// continuations on it, so after <see cref="RunUntilIdle"/> everything that could happen without an outside event has
/// happened: what is in flight at that moment is exact, not a matter of timing.
/// </summary>
internal sealed class ManualTaskScheduler : TaskScheduler
{
    private readonly BlockingCollection<Task> queue = [];

    protected override void QueueTask(Task task) => queue.Add(task);

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    protected override IEnumerable<Task> GetScheduledTasks() => [.. queue];

    /// <summary>Starts <paramref name="work"/> on this scheduler.</summary>
    public Task<T> Start<T>(Func<Task<T>> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.None, this).Unwrap();

    /// <summary>Runs queued tasks, and those they queue, until none is left.</summary>
    public void RunUntilIdle()
    {
        while (queue.TryTake(out var task))
        {
            TryExecuteTask(task);
        }
    }

    /// <summary>
    /// Waits for a task queued from another thread (e.g. a continuation after work on the thread pool); false when none
    /// came within <paramref name="timeout"/>, which means the code under test is stuck.
    /// </summary>
    public bool WaitForWork(TimeSpan timeout)
    {
        if (!queue.TryTake(out var task, timeout))
        {
            return false;
        }

        TryExecuteTask(task);
        return true;
    }
}
