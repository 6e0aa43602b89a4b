namespace ThanosBridge.TestSupport.Fakes;

/// <summary>
/// A manual clock. Kept instead of Microsoft.Extensions.TimeProvider.Testing's FakeTimeProvider: that one cannot tell a
/// test that the code under test has armed a timer, which the retry, timeout and schedule tests wait for
/// (<see cref="WaitForTimerAsync"/>) so that they move time without sleeping. Time moves only through
/// <see cref="Advance"/> or <see cref="SetUtcNow"/>, which fire the due timers made by <see cref="CreateTimer"/> in
/// due order; <see cref="GetTimestamp"/> follows the same clock. <see cref="WaitForTimerAsync"/> lets a test wait
/// until the code under test has armed a timer (a retry delay, a timeout) before moving time.
/// </summary>
public sealed class FakeTimeProvider : TimeProvider
{
    private readonly Lock gate = new();
    private readonly List<FakeTimer> timers = [];
    private readonly List<TimeSpan> armedDueTimes = [];
    private readonly List<(Func<TimeSpan, bool> Matches, TaskCompletionSource<TimeSpan> Signal)> waiters = [];
    private DateTimeOffset now;
    private long sequence;

    /// <summary>Starts at 2026-08-05T12:00:00Z.</summary>
    public FakeTimeProvider()
        : this(new DateTimeOffset(2026, 8, 5, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public FakeTimeProvider(DateTimeOffset startUtc)
    {
        now = startUtc.ToUniversalTime();
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Every due time a timer was armed with (creation or <c>Change</c>), in order; infinite ones left out.</summary>
    public IReadOnlyList<TimeSpan> ArmedDueTimes
    {
        get
        {
            lock (gate)
            {
                return [.. armedDueTimes];
            }
        }
    }

    /// <summary>How many timers are armed and not yet fired.</summary>
    public int PendingTimerCount
    {
        get
        {
            lock (gate)
            {
                return timers.Count(t => t.DueAt is not null);
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        AdvanceTo(GetUtcNow() + delta);
    }

    /// <summary>Moves the clock forward to <paramref name="value"/>; the clock never goes back.</summary>
    public void SetUtcNow(DateTimeOffset value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, GetUtcNow());
        AdvanceTo(value);
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new FakeTimer(this, callback, state);
        lock (gate)
        {
            timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>
    /// Completes when a timer armed with a due time matching <paramref name="dueTimeMatches"/> is pending, with that
    /// due time (as armed, relative). Already pending timers count.
    /// </summary>
    public Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool> dueTimeMatches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dueTimeMatches);
        var signal = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            var pending = timers.FirstOrDefault(t => t.DueAt is not null && dueTimeMatches(t.ArmedDueTime));
            if (pending is not null)
            {
                return Task.FromResult(pending.ArmedDueTime);
            }

            waiters.Add((dueTimeMatches, signal));
        }

        return signal.Task.WaitAsync(cancellationToken);
    }

    private void AdvanceTo(DateTimeOffset target)
    {
        while (true)
        {
            FakeTimer? next;
            lock (gate)
            {
                next = timers
                    .Where(t => t.DueAt <= target)
                    .OrderBy(t => t.DueAt)
                    .ThenBy(t => t.Sequence)
                    .FirstOrDefault();
                if (next is null)
                {
                    now = target;
                    return;
                }

                now = next.DueAt!.Value;
                next.DueAt = next.Period is { } period ? now + period : null;
            }

            // Outside the lock: the callback may arm timers or read the clock.
            next.Fire();
        }
    }

    private void Arm(FakeTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        List<TaskCompletionSource<TimeSpan>> released = [];
        var fireNow = false;
        lock (gate)
        {
            timer.Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
            timer.Sequence = ++sequence;
            if (dueTime == Timeout.InfiniteTimeSpan || timer.Disposed)
            {
                timer.DueAt = null;
                return;
            }

            timer.ArmedDueTime = dueTime;
            armedDueTimes.Add(dueTime);
            if (dueTime == TimeSpan.Zero)
            {
                // Like the system timer: due now fires on its own, without waiting for Advance.
                timer.DueAt = timer.Period is { } p ? now + p : null;
                fireNow = true;
            }
            else
            {
                timer.DueAt = now + dueTime;
                for (var i = waiters.Count - 1; i >= 0; i--)
                {
                    if (waiters[i].Matches(dueTime))
                    {
                        released.Add(waiters[i].Signal);
                        waiters.RemoveAt(i);
                    }
                }
            }
        }

        if (fireNow)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static t => t.Fire(), timer, preferLocal: false);
        }

        foreach (var signal in released)
        {
            signal.TrySetResult(dueTime);
        }
    }

    private void Remove(FakeTimer timer)
    {
        lock (gate)
        {
            timer.Disposed = true;
            timer.DueAt = null;
            timers.Remove(timer);
        }
    }

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        // Guarded by owner.gate.
        public DateTimeOffset? DueAt { get; set; }

        public TimeSpan? Period { get; set; }

        public TimeSpan ArmedDueTime { get; set; }

        public long Sequence { get; set; }

        public bool Disposed { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Arm(this, dueTime, period);
            return !Disposed;
        }

        public void Fire()
        {
            if (!Disposed)
            {
                callback(state);
            }
        }

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
