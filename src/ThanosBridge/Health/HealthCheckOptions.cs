namespace ThanosBridge.Health;

/// <summary>How often and how patiently the dependencies are checked.</summary>
public sealed record HealthCheckOptions
{
    /// <summary>Time between the starts of two rounds of checks. Default 30 s, at least 1 s; the first round runs at start-up.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one check may take before it counts as failed. Default 10 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
}
