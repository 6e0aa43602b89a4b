namespace ThanosBridge.Health;

/// <summary>
/// The latest result of every readiness check, cached for /readyz (which never runs a check itself). The bridge is
/// ready once its configuration is loaded and the latest check of every registered dependency passed. Thread-safe.
/// </summary>
public sealed class ReadinessState
{
    /// <summary>The name of the check that says whether the configuration was loaded.</summary>
    public const string ConfigurationCheck = "configuration";

    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly List<string> order = [];
    private readonly Dictionary<string, CheckResult> results = new(StringComparer.Ordinal);
    private readonly List<(Func<ReadinessSnapshot, bool> Condition, TaskCompletionSource<ReadinessSnapshot> Signal)> waiters = [];

    public ReadinessState(TimeProvider time, IEnumerable<string> dependencies)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(dependencies);
        this.time = time;
        Register(ConfigurationCheck);
        foreach (var name in dependencies)
        {
            Register(name);
        }
    }

    /// <summary>The registered checks other than <see cref="ConfigurationCheck"/>, in registration order.</summary>
    public IReadOnlyList<string> Dependencies
    {
        get
        {
            lock (gate)
            {
                return [.. order.Where(n => n != ConfigurationCheck)];
            }
        }
    }

    /// <summary>True when every check (configuration included) is <see cref="CheckStatus.Ok"/>.</summary>
    public bool IsReady
    {
        get
        {
            lock (gate)
            {
                return results.Values.All(r => r.Status == CheckStatus.Ok);
            }
        }
    }

    /// <summary>Adds a pending check (e.g. a lifecycle flag such as "scheduler"); readiness waits for it. Idempotent.</summary>
    public void Register(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (gate)
        {
            if (results.TryAdd(name, new CheckResult(name, CheckStatus.Pending, Error: null, CheckedAt: null)))
            {
                order.Add(name);
            }
        }
    }

    public void MarkConfigurationLoaded() => RecordSuccess(ConfigurationCheck);

    /// <summary>Records a passed check; returns the result it replaces.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not registered.</exception>
    public CheckResult RecordSuccess(string name) =>
        Record(name, previous => new CheckResult(name, CheckStatus.Ok, Error: null, time.GetUtcNow()));

    /// <summary>Records a failed check with a (secret-free) error text; returns the result it replaces.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not registered.</exception>
    public CheckResult RecordFailure(string name, string error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Record(name, previous =>
        {
            var now = time.GetUtcNow();
            return new CheckResult(name, CheckStatus.Failing, error, now,
                previous.Status == CheckStatus.Failing ? previous.FailingSince : now);
        });
    }

    /// <summary>The latest result of one check.</summary>
    public CheckResult Get(string name)
    {
        lock (gate)
        {
            return results.TryGetValue(name, out var result) ? result : throw new ArgumentException($"no check named {name}", nameof(name));
        }
    }

    /// <summary>All results in registration order, and whether the bridge is ready.</summary>
    public ReadinessSnapshot Snapshot()
    {
        lock (gate)
        {
            return SnapshotLocked();
        }
    }

    /// <summary>Completes with the first snapshot (the current one included) that satisfies <paramref name="condition"/>.</summary>
    public Task<ReadinessSnapshot> WaitAsync(Func<ReadinessSnapshot, bool> condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var signal = new TaskCompletionSource<ReadinessSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            var current = SnapshotLocked();
            if (condition(current))
            {
                return Task.FromResult(current);
            }

            waiters.Add((condition, signal));
        }

        return signal.Task.WaitAsync(cancellationToken);
    }

    private CheckResult Record(string name, Func<CheckResult, CheckResult> next)
    {
        lock (gate)
        {
            if (!results.TryGetValue(name, out var previous))
            {
                throw new ArgumentException($"no check named {name}", nameof(name));
            }

            results[name] = next(previous);
            if (waiters.Count > 0)
            {
                var current = SnapshotLocked();
                for (var i = waiters.Count - 1; i >= 0; i--)
                {
                    if (waiters[i].Condition(current))
                    {
                        waiters[i].Signal.TrySetResult(current);
                        waiters.RemoveAt(i);
                    }
                }
            }

            return previous;
        }
    }

    private ReadinessSnapshot SnapshotLocked()
    {
        var checks = order.Select(n => results[n]).ToList();
        return new ReadinessSnapshot(checks.All(c => c.Status == CheckStatus.Ok), checks);
    }
}

/// <summary>What /readyz answers.</summary>
public sealed record ReadinessSnapshot(bool Ready, IReadOnlyList<CheckResult> Checks);
