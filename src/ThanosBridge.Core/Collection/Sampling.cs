namespace ThanosBridge.Core.Collection;

/// <summary>How the samples of the queried Thanos were produced; it decides how the cost queries are evaluated.</summary>
public enum SampleSource
{
    /// <summary>ACM's metrics-collector (MCO's default): every interval it federates the spoke and remote-writes the newest sample of each series.</summary>
    MetricsCollector,

    /// <summary>MCOA: a PrometheusAgent scrapes the spoke's <c>/federate</c> every interval and remote-writes what it got.</summary>
    Mcoa,

    /// <summary>The queried Prometheus scrapes the cluster itself (about every 30 s, with staleness markers), as CMMO's does.</summary>
    Prometheus,
}

/// <summary>
/// The sampling of the data the cost queries read, and what follows for their evaluation (docs/accuracy.md). Forwarded
/// data holds one sample per series every <see cref="Interval"/>, with no staleness markers and with lost cycles, so
/// each point is evaluated half an interval late and re-timed (a sample then stands for the interval around it), the
/// lookback is one interval, holes up to <see cref="MaxFilledGap"/> are filled, and CPU counters are integrated from
/// their increases between samples. A Prometheus that scrapes the cluster itself gets CMMO's evaluation unchanged.
/// </summary>
public sealed record Sampling(SampleSource Source, TimeSpan Interval)
{
    /// <summary>ACM's defaults: the metrics-collector forwarding every 300 s.</summary>
    public static Sampling AcmDefault { get; } = new(SampleSource.MetricsCollector, TimeSpan.FromMinutes(5));

    /// <summary>CMMO's own evaluation, for a Prometheus that scrapes the cluster (the spoke).</summary>
    public static Sampling Cmmo { get; } = new(SampleSource.Prometheus, TimeSpan.FromSeconds(30));

    /// <summary>Whether the samples were forwarded from the spoke every <see cref="Interval"/> (hub data).</summary>
    public bool IsForwarded => Source != SampleSource.Prometheus;

    /// <summary>Points are evaluated this much later than the time they are reported at (half an interval).</summary>
    public TimeSpan Shift => IsForwarded ? Interval / 2 : TimeSpan.Zero;

    /// <summary>The lookback sent with each query (Thanos <c>lookback_delta</c>); none: the server's default.</summary>
    public TimeSpan? Lookback => IsForwarded ? Interval : null;

    /// <summary>
    /// The longest run of missing points inside a series that is filled with the value before it: a series that comes
    /// back within this time was there all along and only its samples were lost (MCO sends no staleness markers).
    /// </summary>
    public TimeSpan MaxFilledGap => IsForwarded ? Interval * 4 : TimeSpan.Zero;

    /// <summary>
    /// How much is queried beyond the requested hours on each side, so holes and counters at the edges are seen: the
    /// longest filled gap, rounded up to whole steps so that every point stays on the hours' grid.
    /// </summary>
    public TimeSpan MarginFor(TimeSpan step) =>
        step <= TimeSpan.Zero ? MaxFilledGap : TimeSpan.FromTicks((MaxFilledGap.Ticks + step.Ticks - 1) / step.Ticks * step.Ticks);

    /// <summary>
    /// The step when none is configured, for delivery and replay alike: one evaluation per forwarded sample (a finer step
    /// only re-reads the same sample; docs/accuracy.md measures both), CMMO's 60 s for a Prometheus that scrapes the
    /// cluster or when the interval is under a minute or does not divide an hour.
    /// </summary>
    public TimeSpan DefaultStep =>
        IsForwarded && Interval >= TimeSpan.FromMinutes(1) && TimeSpan.FromHours(1).Ticks % Interval.Ticks == 0 ? Interval : TimeSpan.FromMinutes(1);

    /// <summary>The window of <c>rate</c> and <c>*_over_time</c> in the cost queries: three samples on the hub, CMMO's 5 minutes otherwise.</summary>
    public string CostWindow => IsForwarded ? "[15m]" : "[5m]";

    public static string Name(SampleSource source) => source switch
    {
        SampleSource.MetricsCollector => "metrics-collector",
        SampleSource.Mcoa => "mcoa",
        SampleSource.Prometheus => "prometheus",
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };

    public static bool TryParse(string text, out SampleSource source)
    {
        foreach (var candidate in Enum.GetValues<SampleSource>())
        {
            if (string.Equals(Name(candidate), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                source = candidate;
                return true;
            }
        }

        source = default;
        return false;
    }
}
